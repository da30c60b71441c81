/*
 * Starts librdkafka's mock cluster (a real Kafka-protocol broker set, used by librdkafka's own
 * tests) for Junction's tests and benchmarks. Prints "bootstraps <host:port,...>" once, then serves line
 * commands on stdin until it closes:
 *   create <topic> <partitions>   pre-create a topic (the mock has no CreateTopics API)
 *   down <brokerId|-1>            disconnect a broker and refuse connections (-1: all)
 *   up <brokerId|-1>              accept connections again
 * Each command is answered by one line: "ok <command>" or "error <command>: <reason>".
 * Build: cc helper.c -lrdkafka
 */
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void answer(const char *command, rd_kafka_resp_err_t err) {
  if (err) printf("error %s: %s\n", command, rd_kafka_err2str(err));
  else printf("ok %s\n", command);
  fflush(stdout);
}

int main(int argc, char **argv) {
  int brokers = argc > 1 ? atoi(argv[1]) : 3;
  char errstr[512];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  /* The handle only owns the cluster; keep it from logging to stderr. */
  rd_kafka_conf_set(conf, "log_level", "0", errstr, sizeof(errstr));
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
  if (!rk) {
    fprintf(stderr, "rd_kafka_new failed: %s\n", errstr);
    return 1;
  }
  rd_kafka_mock_cluster_t *cluster = rd_kafka_mock_cluster_new(rk, brokers);
  if (!cluster) {
    fprintf(stderr, "rd_kafka_mock_cluster_new failed\n");
    return 1;
  }
  printf("bootstraps %s\n", rd_kafka_mock_cluster_bootstraps(cluster));
  fflush(stdout);

  char line[1024], name[512];
  int number;
  while (fgets(line, sizeof(line), stdin)) {
    line[strcspn(line, "\r\n")] = '\0';
    if (sscanf(line, "create %511s %d", name, &number) == 2) {
      answer(line, rd_kafka_mock_topic_create(cluster, name, number, brokers < 3 ? brokers : 3));
    } else if (sscanf(line, "down %d", &number) == 1) {
      answer(line, rd_kafka_mock_broker_set_down(cluster, number));
    } else if (sscanf(line, "up %d", &number) == 1) {
      answer(line, rd_kafka_mock_broker_set_up(cluster, number));
    } else if (line[0] != '\0') {
      printf("error %s: unknown command\n", line);
      fflush(stdout);
    }
  }
  rd_kafka_mock_cluster_destroy(cluster);
  rd_kafka_destroy(rk);
  return 0;
}
