// Command kq is a Kafka-compatible log broker and its terminal toolkit.
package main

func main() {}
