package server

import (
	"fmt"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// admission is what the server does with a request, judged by its header.
type admission int

const (
	admitRequest      admission = iota // decode and hand to the Handler
	answerUnsupported                  // ApiVersions at a version not served: answer v0 with UNSUPPORTED_VERSION
	rejectRequest                      // close the connection, as Kafka does
)

// admit checks a header against the versions the Handler serves and the
// versions kmsg can decode.
func admit(h Handler, hdr header) (admission, error) {
	req := kmsg.RequestForKey(hdr.key)
	if req == nil {
		return rejectRequest, fmt.Errorf("unknown api key %d", hdr.key)
	}
	lo, hi, ok := h.Versions(hdr.key)
	if !ok {
		return rejectRequest, fmt.Errorf("api %s (key %d) is not served", kmsg.NameForKey(hdr.key), hdr.key)
	}
	hi = min(hi, req.MaxVersion())
	if hdr.version >= lo && hdr.version <= hi {
		return admitRequest, nil
	}
	err := fmt.Errorf("%s v%d is outside the served range v%d-v%d", kmsg.NameForKey(hdr.key), hdr.version, lo, hi)
	if hdr.key == apiVersionsKey {
		return answerUnsupported, err
	}
	return rejectRequest, err
}

// unsupportedVersionsResponse is Kafka's answer to an ApiVersions request of a
// version it does not serve: a v0 response (which every client can read)
// carrying UNSUPPORTED_VERSION and the full list of served APIs, so the client
// can pick a version and retry. The server builds it from Handler.Versions,
// so the handler never sees such requests.
func unsupportedVersionsResponse(h Handler) *kmsg.ApiVersionsResponse {
	resp := kmsg.NewPtrApiVersionsResponse()
	resp.ErrorCode = kerr.UnsupportedVersion.Code
	resp.ApiKeys = servedAPIs(h)
	return resp
}

// servedAPIs asks the Handler for every key kmsg knows.
func servedAPIs(h Handler) []kmsg.ApiVersionsResponseApiKey {
	var keys []kmsg.ApiVersionsResponseApiKey
	for key := int16(0); key <= kmsg.MaxKey; key++ {
		lo, hi, ok := h.Versions(key)
		if !ok {
			continue
		}
		k := kmsg.NewApiVersionsResponseApiKey()
		k.ApiKey, k.MinVersion, k.MaxVersion = key, lo, hi
		keys = append(keys, k)
	}
	return keys
}
