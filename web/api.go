package web

// apiRoutes registers the open API under /api/v1 and the interconnection
// formats (HSDS under /hsds, data·inclusion exports).
func (s *Server) apiRoutes() {}
