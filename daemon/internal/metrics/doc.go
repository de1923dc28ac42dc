// Package metrics exposes a broker's state as Prometheus metrics under the
// names Kafka's JMX MBeans get through the Prometheus JMX exporter with
// Strimzi's kafka-metrics rules (lowercased: kafka.server:type=
// BrokerTopicMetrics,name=MessagesInPerSec,topic=t becomes
// kafka_server_brokertopicmetrics_messagesin_total{topic="t"}), so the
// Grafana dashboards built for those names work on kq unchanged. Consumer
// group lag takes kafka_exporter's names (kafka_consumergroup_lag), as
// Kafka's broker has no lag MBean. docs/metrics.md lists every name with
// the MBean it mirrors.
//
// # Reading at scrape time
//
// Collector reads the broker's state when Prometheus scrapes (partitions,
// ISRs, logs, committed offsets, the controller) through the Source
// interface, so nothing is updated on the request path for it. The
// counters that cannot be read from state (messages and bytes in and out)
// are atomic fields of each hosted partition, summed per topic at scrape
// time; Requests times each request once, indexed by API key without
// allocating.
//
// Like the JMX exporter, per-second meters are exported as counters
// (_total, to be rated by Prometheus) and Kafka's histograms as quantile
// gauges plus a _count counter, with quantile labels "0.50" ... "0.999"
// spelled as the exporter spells them. An all-topics BrokerTopicMetrics
// series carries topic="" (Prometheus drops empty labels, so it reads as
// the exporter's series without a topic label).
//
// # Health
//
// Handler serves /metrics, /healthz (the process answers) and /readyz
// (the broker is registered, has the cluster metadata, and no partition
// with a replica here is offline), the last two with a short text body
// saying what is not ready.
package metrics
