package pages

import (
	"fmt"
	"strings"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/tui/components"
	"github.com/kqhq/kq/tui/snapshot"
	"github.com/kqhq/kq/tui/styles"
)

// HiddenValue stands for a sensitive config's value, which brokers never
// return and the TUI never shows.
const HiddenValue = "(sensitive, hidden)"

// OverrideGlyph marks a config set on the resource itself, not inherited.
const OverrideGlyph = "✎"

// Configs lists the configs of a topic or a broker as DescribeConfigs
// returns them: every config with its value and where the value comes
// from (DYNAMIC_TOPIC_CONFIG, STATIC_BROKER_CONFIG, DEFAULT_CONFIG...).
// Configs are not part of the snapshot: the model reads them when the
// page opens and on each refresh, and puts them here.
type Configs struct {
	St       styles.Styles
	Resource admin.Resource
	Entries  []admin.ConfigEntry
	Loaded   bool  // Entries were read at least once
	Err      error // the last read's failure
}

// Name implements Page: "orders › configs", "broker 1 › configs".
func (p Configs) Name() string {
	if p.Resource.Type == admin.TopicResource {
		return p.Resource.Name + " › configs"
	}
	return p.Resource.String() + " › configs"
}

// Columns implements Page.
func (Configs) Columns() []components.Column {
	return []components.Column{
		{Title: "NAME", Shrink: true},
		{Title: "VALUE", Shrink: true, MinWidth: 12},
		{Title: "SOURCE", Drop: 1},
	}
}

// Rows implements Page. The snapshot is not used: configs are read
// separately.
func (p Configs) Rows(*snapshot.Snapshot) []components.Row {
	rows := make([]components.Row, 0, len(p.Entries))
	for _, e := range p.Entries {
		value := ConfigValue(e)
		rows = append(rows, components.Row{
			Key:    e.Name,
			Search: strings.Join([]string{e.Name, value, e.Source.String()}, " "),
			Cells:  []components.Cell{p.name(e), p.value(e, value), p.source(e)},
		})
	}
	return rows
}

// ConfigValue is how a config's value is shown: hidden when sensitive,
// "null" when it has none.
func ConfigValue(e admin.ConfigEntry) string {
	switch {
	case e.Sensitive:
		return HiddenValue
	case e.Value == nil:
		return "null"
	}
	return *e.Value
}

// IsOverride says whether the value is set on the resource itself (a
// topic override, a broker's dynamic config), so deleting it falls back
// to the next source.
func IsOverride(e admin.ConfigEntry) bool {
	switch e.Source {
	case admin.SourceDynamicTopic, admin.SourceDynamicBroker, admin.SourceDynamicBrokerLogger:
		return true
	}
	return false
}

func (p Configs) name(e admin.ConfigEntry) components.Cell {
	if IsOverride(e) {
		return components.Text(OverrideGlyph+" "+e.Name, p.St.Header)
	}
	return components.Text("  "+e.Name, p.St.Plain)
}

func (p Configs) value(e admin.ConfigEntry, value string) components.Cell {
	if e.Sensitive || e.Value == nil || !IsOverride(e) && e.IsDefault() {
		return components.Text(value, p.St.Faint)
	}
	return components.Text(value, p.St.Plain)
}

func (p Configs) source(e admin.ConfigEntry) components.Cell {
	if IsOverride(e) {
		return components.Text(e.Source.String(), p.St.Header)
	}
	return components.Text(e.Source.String(), p.St.Faint)
}

// Entry is the config named key, if shown.
func (p Configs) Entry(key string) (admin.ConfigEntry, bool) {
	for _, e := range p.Entries {
		if e.Name == key {
			return e, true
		}
	}
	return admin.ConfigEntry{}, false
}

// Detail implements Page: the config with the values it overrides, the
// synonyms DescribeConfigs lists in order of precedence.
func (p Configs) Detail(_ *snapshot.Snapshot, key string) components.Cell {
	if p.Err != nil && p.Loaded {
		return components.Text(BadGlyph+" configs not refreshed: "+p.Err.Error(), p.St.Bad)
	}
	e, ok := p.Entry(key)
	if !ok {
		return nil
	}
	text := fmt.Sprintf("%s = %s from %s", e.Name, ConfigValue(e), e.Source)
	var below []string
	for _, s := range e.Synonyms {
		if s.Source == e.Source {
			continue // the value itself, or its name at the same level
		}
		below = append(below, fmt.Sprintf("%s=%s (%s)", s.Name, synonymValue(e, s), s.Source))
	}
	if len(below) > 0 {
		text += "; over " + strings.Join(below, ", ")
	}
	if e.ReadOnly {
		text += "; read-only"
	}
	return components.Text(text, p.St.Header)
}

func synonymValue(e admin.ConfigEntry, s admin.ConfigSynonym) string {
	if e.Sensitive {
		return HiddenValue
	}
	if s.Value == nil {
		return "null"
	}
	return *s.Value
}

// Open implements Page: a config has no deeper view.
func (Configs) Open(*snapshot.Snapshot, string) (Page, bool) { return nil, false }

// Empty implements Page.
func (p Configs) Empty(*snapshot.Snapshot) string {
	switch {
	case p.Err != nil:
		return BadGlyph + " cannot read the configs of " + p.Resource.String() + ": " + p.Err.Error()
	case !p.Loaded:
		return "reading the configs of " + p.Resource.String() + "…"
	}
	return p.Resource.String() + " has no configs"
}
