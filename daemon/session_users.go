package daemon

import "context"

// Users, UserConfig and SetUserConfig serve the SCRAM credential APIs from
// the current session's /config/users.
func (s *currentSession) Users(ctx context.Context) ([]string, error) {
	return s.client().Users(ctx)
}

func (s *currentSession) UserConfig(ctx context.Context, user string) (map[string]string, error) {
	return s.client().UserConfig(ctx, user)
}

func (s *currentSession) SetUserConfig(ctx context.Context, user string, cfg map[string]string) error {
	return s.client().SetUserConfig(ctx, user, cfg)
}
