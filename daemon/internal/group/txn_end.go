package group

// CompleteTxn tells the coordinator that a producer's transaction marker
// is committed at markerOffset in a __consumer_offsets partition
// (WriteTxnMarkers on this broker, the partition's leader): on commit the
// producer's pending offsets of the partition's groups become visible, on
// abort they are dropped. Offsets written after the marker belong to a
// later transaction and stay pending (a resent marker answered late must
// not end the next transaction). While the partition loads, the marker is kept and applied once
// the groups are installed (loading may have stopped short of it); a
// partition this broker does not serve has nothing to complete, as a
// later load reads the marker from the log.
func (c *Coordinator) CompleteTxn(partition int32, producerID int64, commit bool, markerOffset int64) {
	if partition < 0 || partition >= c.cfg.Partitions {
		return
	}
	s := c.shards[partition]
	s.mu.Lock()
	defer s.mu.Unlock()
	switch s.status {
	case loading:
		s.txnEndsWhileLoading = append(s.txnEndsWhileLoading, txnEnd{producerID: producerID, commit: commit, offset: markerOffset})
	case loaded:
		s.endTxn(producerID, commit, markerOffset)
	}
}

// txnEnd is a marker that arrived while its partition was loading.
type txnEnd struct {
	producerID int64
	commit     bool
	offset     int64
}

// replayTxnEnds applies the markers that arrived while loading. Applying
// one the load already read does nothing: no offset commit can be written
// in between, since requests wait for the load.
func (s *shard) replayTxnEnds() {
	for _, e := range s.txnEndsWhileLoading {
		s.endTxn(e.producerID, e.commit, e.offset)
	}
	s.txnEndsWhileLoading = nil
}

// endTxn completes the producer's transaction ended by the marker at
// markerOffset in every group of the shard holding its offsets.
func (s *shard) endTxn(producerID int64, commit bool, markerOffset int64) {
	remaining := false
	for id := range s.txnGroups[producerID] {
		if g := s.groups[id]; g != nil {
			s.completeTxn(g, producerID, commit, markerOffset)
			_, left := g.txnOffsets[producerID]
			remaining = remaining || left
		}
	}
	if !remaining {
		delete(s.txnGroups, producerID)
	}
}

// indexTxn notes that the group holds offsets of the producer's open
// transaction, so its marker finds the group without a scan. An entry
// may outlive the offsets (a failed write, a deleted group): a marker
// then finds nothing to do.
func (s *shard) indexTxn(producerID int64, groupID string) {
	if s.txnGroups == nil {
		s.txnGroups = map[int64]map[string]struct{}{}
	}
	groups := s.txnGroups[producerID]
	if groups == nil {
		groups = map[string]struct{}{}
		s.txnGroups[producerID] = groups
	}
	groups[groupID] = struct{}{}
}
