/*
 * plan-graph.h: a verified plan as a Graphviz graph.
 *
 * Nodes: listeners (their address), proxies (frontend, backend or listen,
 * with their mode) and servers (name and address). Edges follow a
 * connection: listener -> its proxy -> default_backend -> each server. A
 * frontend also has one edge per use_backend rule to the backend it picks,
 * labelled with the rule's condition ("if ...", "unless ...", cut to 40
 * bytes with "...") or "use_backend" when it has none, in rule order
 * before the default_backend edge. A listen section is one node, so its
 * listeners and its servers meet there.
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
