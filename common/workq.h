/*
 * workq: a small pool of worker threads for CPU work handed over by one
 * owning thread, which takes the finished jobs back in the order they
 * finish.  The archiver uses it to parse pages and compress WARC records
 * on every core while the owner keeps the network busy and alone touches
 * the frontier, the WARC file and the journal.
 *
 *   q = workq_new(n, work, ctx_new, ctx_free, notify, ud);
 *   workq_push(q, job);                 owner: job goes to a worker
 *   while ((job = workq_pop(q, 0)))     owner: finished jobs, no waiting
 *   job = workq_pop(q, 1);              owner: wait for one (NULL: none left)
 *   workq_free(q);                      waits for the workers to stop
 *
 * Jobs are the caller's: the queue never frees them.  work() runs on a
 * worker with that worker's context (ctx_new() is called once per worker,
 * on the worker; either may be NULL).  notify(ud), if given, is called on a
 * worker after each job is finished, so an owner blocked elsewhere (in
 * curl_multi_poll, say) can be woken up.  Only the owner calls the
 * functions below.
 */
#ifndef JIYUE_WORKQ_H
#define JIYUE_WORKQ_H

#include <stddef.h>

struct workq;

typedef void workq_work_fn(void *job, void *ctx);

struct workq *workq_new(size_t nr_threads, workq_work_fn *work, void *(*ctx_new)(void),
			void (*ctx_free)(void *), void (*notify)(void *), void *ud);

/* Hand a job to the workers. */
void workq_push(struct workq *q, void *job);

/* A finished job, or NULL: none finished (wait 0) or none in the queue at all (wait 1). */
void *workq_pop(struct workq *q, int wait);

/* Jobs pushed and not yet popped. */
size_t workq_pending(const struct workq *q);

/* Stop and join the workers.  Jobs still queued are not run; pop them first. */
void workq_free(struct workq *q);

/* Worker threads worth starting on this machine (online CPUs, 1 to max). */
size_t workq_default_threads(size_t max);

#endif
