package znode

// ProducerIDBlock is /latest_producer_id_block: the last block of
// producer ids a broker claimed (compare-and-set on the node's version).
type ProducerIDBlock struct {
	Broker int32
	Start  int64 // first id of the block
	End    int64 // last id of the block, inclusive
}

type producerIDBlockJSON struct {
	Version *int      `json:"version"`
	Broker  *int32    `json:"broker"`
	Start   *msString `json:"block_start"`
	End     *msString `json:"block_end"`
}

// Encode writes /latest_producer_id_block's JSON, version 1.
func (b ProducerIDBlock) Encode() []byte {
	start, end := msString(b.Start), msString(b.End)
	return marshal(producerIDBlockJSON{Version: ptr(1), Broker: &b.Broker, Start: &start, End: &end})
}

// DecodeProducerIDBlock reads /latest_producer_id_block.
func DecodeProducerIDBlock(path string, data []byte) (ProducerIDBlock, error) {
	var j producerIDBlockJSON
	if err := unmarshal(path, data, &j); err != nil {
		return ProducerIDBlock{}, err
	}
	if _, err := requireVersion(path, j.Version, 1, 1); err != nil {
		return ProducerIDBlock{}, err
	}
	if j.Broker == nil || j.Start == nil || j.End == nil {
		return ProducerIDBlock{}, malformed(path, "want broker, block_start and block_end")
	}
	b := ProducerIDBlock{Broker: *j.Broker, Start: int64(*j.Start), End: int64(*j.End)}
	if b.Start < 0 || b.End < b.Start {
		return ProducerIDBlock{}, malformed(path, "block %d..%d", b.Start, b.End)
	}
	return b, nil
}
