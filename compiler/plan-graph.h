/*
 * plan-graph.h: a verified plan as a Graphviz graph.
 *
 * Nodes: listeners (their address), proxies (frontend, backend or listen,
 * with their mode) and servers (name and address). Edges follow a
 * connection: listener -> its proxy -> default_backend -> each server. A
 * listen section is one node, so its listeners and its servers meet there.
 * Node ids are l<N>, p<N> and s<N> with the plan's record indices, so the
 * output is stable for a given plan.
 */
#ifndef HAPC_PLAN_GRAPH_H
#define HAPC_PLAN_GRAPH_H

#include <stdio.h>
#include "plan.h"

/* Write the graph (`digraph plan { ... }`) on `out`. Returns 0, or -1 when
 * writing failed. */
int plan_graph(const struct plan *p, FILE *out);

#endif /* HAPC_PLAN_GRAPH_H */
