package hsds

import (
	"crypto/sha1"
	"encoding/hex"
)

// Namespace is the UUID namespace of Maillage's HSDS ids: the name-based
// UUID (version 5, RFC 9562) of "https://maillage.fr/hsds" in the URL
// namespace. It never changes, so ids survive rebuilds.
var Namespace = uuid5(urlNamespace, "https://maillage.fr/hsds")

// urlNamespace is the URL namespace of RFC 9562 (6ba7b811-9dad-11d1-80b4-00c04fd430c8).
var urlNamespace = [16]byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}

// Kinds of objects, part of the name hashed into their ids.
const (
	KindOrganization      = "organization"
	KindService           = "service"
	KindLocation          = "location"
	KindServiceAtLocation = "service_at_location"
)

// ID returns the UUID of the object of a kind (KindService…) built for the
// consolidated place id: the same inputs give the same id on every build
// and every machine.
func ID(kind, placeID string) string {
	return format(uuid5(Namespace, kind+":"+placeID))
}

// subID is the id of an object that belongs to another (a phone of a
// service): parent is the owner's UUID, what names the object within it.
func subID(parent, what string) string {
	return format(uuid5(Namespace, parent+"/"+what))
}

// uuid5 is the name-based UUID of name in namespace ns (SHA-1, version 5).
func uuid5(ns [16]byte, name string) [16]byte {
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte(name))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50 // version 5
	u[8] = u[8]&0x3f | 0x80 // RFC 9562 variant
	return u
}

func format(u [16]byte) string {
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return string(b[:])
}
