package web

// observatoryRoutes registers the observatory's pages (/observatoire) and
// its API (/api/v1/indicateurs).
func (s *Server) observatoryRoutes() {}
