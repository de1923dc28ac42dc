// Package handler answers Kafka protocol requests: one file per API key,
// named by key (00_produce.go, 01_fetch.go, ...), each registering the
// version range it serves, so ApiVersions is derived from the handlers that
// exist.
//
// Kafka error codes are response data: a handler that meets a domain error
// (an unknown partition, a corrupt batch) puts its code in the response.
// A Go error returned from Handle means "close the connection", which Kafka
// does only for malformed requests and failed acks=0 produces.
package handler
