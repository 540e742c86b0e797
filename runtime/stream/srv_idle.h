/*
 * srv_idle.h: the thread's idle server connections (srv_idle-t.h).
 */
#ifndef HAPC_SRV_IDLE_H
#define HAPC_SRV_IDLE_H

#include <stdint.h>

#include "conn-t.h"
#include "srv_idle-t.h"
#include "thread-t.h"

/*
 * Park connection c to server `server` of generation `generation` on
 * thread thr (c is emptied). Returns 0, or -1 when the thread keeps
 * enough already (c is then closed).
 */
int srv_idle_put(struct rt_thread *thr, uint32_t generation, uint32_t server,
                 struct conn *c);

/* Take an idle connection to `server` of `generation` into c: 0, or -1
 * when there is none. The newest is taken (least likely to be closed)
 * among those `fits` accepts (NULL: any); the others stay idle. */
int srv_idle_take(struct rt_thread *thr, uint32_t generation, uint32_t server,
                  struct conn *c,
                  int (*fits)(const struct conn *c, const void *arg),
                  const void *arg);

/* Close every idle connection of thr (the thread stops). */
void srv_idle_close_all(struct rt_thread *thr);

#endif /* HAPC_SRV_IDLE_H */
