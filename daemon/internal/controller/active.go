package controller

// Active reports whether this broker is the controller now (Kafka's
// ActiveControllerCount of 1).
func (c *Controller) Active() bool { return c.activeLoop() != nil }
