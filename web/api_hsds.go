package web

// hsdsRoutes registers the Open Referral HSDS 3.0 read endpoints under
// /hsds and the data·inclusion exports.
func (s *Server) hsdsRoutes() {}
