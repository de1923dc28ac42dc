package handler

import (
	"context"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/kqhq/kq/daemon/internal/server"
)

// ApiVersions v0-4. The versions listed are derived from the registered
// handlers. An unsupported ApiVersions version never reaches here: the
// server answers it in the v0 form with UNSUPPORTED_VERSION, as Kafka does.
func (h *Handler) apiVersions(_ context.Context, _ *server.Request, req *kmsg.ApiVersionsRequest) (kmsg.Response, error) {
	resp := req.ResponseKind().(*kmsg.ApiVersionsResponse)
	if req.Version >= 3 && !validClientSoftware(req) {
		resp.ErrorCode = kerr.InvalidRequest.Code // and, as Kafka, no API list
		return resp, nil
	}
	resp.ApiKeys = h.ApiKeys()
	return resp, nil
}

// ApiKeys lists every API with its version range.
func (h *Handler) ApiKeys() []kmsg.ApiVersionsResponseApiKey {
	keys := h.keys()
	out := make([]kmsg.ApiVersionsResponseApiKey, 0, len(keys))
	for _, k := range keys {
		a := h.apis[k]
		out = append(out, kmsg.ApiVersionsResponseApiKey{ApiKey: k, MinVersion: a.min, MaxVersion: a.max})
	}
	return out
}

// validClientSoftware applies Kafka's rule for v3+ client software name and
// version: letters, digits, '.', '-', starting and ending alphanumeric.
// Empty values are accepted, as librdkafka sends them in some builds.
func validClientSoftware(req *kmsg.ApiVersionsRequest) bool {
	return validSoftwareField(req.ClientSoftwareName) && validSoftwareField(req.ClientSoftwareVersion)
}

func validSoftwareField(s string) bool {
	for i, c := range s {
		alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		if alnum {
			continue
		}
		if i == 0 || i == len(s)-1 || (c != '.' && c != '-') {
			return false
		}
	}
	return true
}
