package znode

import "strings"

// ACL is one access control entry of a resource.
type ACL struct {
	Principal      string `json:"principal"`      // e.g. User:alice, User:*
	PermissionType string `json:"permissionType"` // Allow or Deny
	Operation      string `json:"operation"`      // Read, Write, Describe, All, ...
	Host           string `json:"host"`           // * for any
}

type aclsJSON struct {
	Version *int  `json:"version"`
	ACLs    []ACL `json:"acls"`
}

// EncodeACLs writes a resource's ACL node under /kafka-acl or
// /kafka-acl-extended.
func EncodeACLs(acls []ACL) []byte {
	if acls == nil {
		acls = []ACL{}
	}
	return marshal(aclsJSON{Version: ptr(1), ACLs: acls})
}

// DecodeACLs reads a resource's ACL node; no data means no ACLs.
func DecodeACLs(path string, data []byte) ([]ACL, error) {
	if len(data) == 0 {
		return nil, nil
	}
	var j aclsJSON
	if err := unmarshal(path, data, &j); err != nil {
		return nil, err
	}
	if _, err := requireVersion(path, j.Version, 1, 1); err != nil {
		return nil, err
	}
	if j.ACLs == nil {
		return nil, malformed(path, "no acls")
	}
	for _, a := range j.ACLs {
		if a.Principal == "" || a.PermissionType == "" || a.Operation == "" || a.Host == "" {
			return nil, malformed(path, "acl %+v needs principal, permissionType, operation and host", a)
		}
	}
	return j.ACLs, nil
}

// EncodeACLChange writes a /kafka-acl-changes notification: the literal
// resource whose ACLs changed, as "ResourceType:name".
func EncodeACLChange(resourceType, name string) []byte {
	return []byte(resourceType + ":" + name)
}

// DecodeACLChange reads a literal ACL change notification.
func DecodeACLChange(path string, data []byte) (resourceType, name string, err error) {
	resourceType, name, ok := strings.Cut(string(data), ":")
	if !ok || resourceType == "" {
		return "", "", malformed(path, "want ResourceType:name, got %q", data)
	}
	return resourceType, name, nil
}

// ExtendedACLChange is a /kafka-acl-extended-changes notification, for
// non-literal patterns.
type ExtendedACLChange struct {
	ResourceType string `json:"resourceType"` // TOPIC, GROUP, ...
	Name         string `json:"name"`
	PatternType  string `json:"patternType"` // PREFIXED
}

// Encode writes the change notification's JSON, version 1.
func (c ExtendedACLChange) Encode() []byte {
	return marshal(struct {
		Version int `json:"version"`
		ExtendedACLChange
	}{1, c})
}

// DecodeExtendedACLChange reads an extended ACL change notification.
func DecodeExtendedACLChange(path string, data []byte) (ExtendedACLChange, error) {
	var j struct {
		Version *int `json:"version"`
		ExtendedACLChange
	}
	if err := unmarshal(path, data, &j); err != nil {
		return ExtendedACLChange{}, err
	}
	if _, err := requireVersion(path, j.Version, 1, 1); err != nil {
		return ExtendedACLChange{}, err
	}
	c := j.ExtendedACLChange
	if c.ResourceType == "" || c.PatternType == "" {
		return ExtendedACLChange{}, malformed(path, "change %+v needs resourceType and patternType", c)
	}
	return c, nil
}
