#include "common/workq.h"
#include "common/xalloc.h"

#include <pthread.h>
#include <string.h>
#include <unistd.h>

/* A singly linked FIFO of jobs. */
struct node {
	void *job;
	struct node *next;
};

struct fifo {
	struct node *head, *tail;
};

struct workq {
	pthread_mutex_t lock;
	pthread_cond_t queued_cv;   /* a job was pushed, or stop */
	pthread_cond_t done_cv;   /* a job was finished */
	struct fifo queued, done;
	size_t pending;           /* pushed, not popped; the owner's alone */
	int stop;
	workq_work_fn *work;
	void *(*ctx_new)(void);
	void (*ctx_free)(void *);
	void (*notify)(void *);
	void *ud;
	pthread_t *threads;
	size_t nr_threads;
};

static void fifo_put(struct fifo *f, struct node *n)
{
	n->next = NULL;
	if (f->tail)
		f->tail->next = n;
	else
		f->head = n;
	f->tail = n;
}

static struct node *fifo_take(struct fifo *f)
{
	struct node *n = f->head;
	if (n) {
		f->head = n->next;
		if (!f->head)
			f->tail = NULL;
	}
	return n;
}

static void *worker(void *arg)
{
	struct workq *q = arg;
	void *ctx = q->ctx_new ? q->ctx_new() : NULL;
	pthread_mutex_lock(&q->lock);
	for (;;) {
		struct node *n;
		while (!q->stop && !q->queued.head)
			pthread_cond_wait(&q->queued_cv, &q->lock);
		if (q->stop)
			break;
		n = fifo_take(&q->queued);
		pthread_mutex_unlock(&q->lock);
		q->work(n->job, ctx);
		pthread_mutex_lock(&q->lock);
		fifo_put(&q->done, n);
		pthread_cond_signal(&q->done_cv);
		if (q->notify) {
			/* outside the lock: notify may take locks of its own */
			pthread_mutex_unlock(&q->lock);
			q->notify(q->ud);
			pthread_mutex_lock(&q->lock);
		}
	}
	pthread_mutex_unlock(&q->lock);
	if (q->ctx_free)
		q->ctx_free(ctx);
	return NULL;
}

struct workq *workq_new(size_t nr_threads, workq_work_fn *work, void *(*ctx_new)(void),
			void (*ctx_free)(void *), void (*notify)(void *), void *ud)
{
	struct workq *q = xcalloc(1, sizeof(*q));
	size_t i;
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->queued_cv, NULL);
	pthread_cond_init(&q->done_cv, NULL);
	q->work = work;
	q->ctx_new = ctx_new;
	q->ctx_free = ctx_free;
	q->notify = notify;
	q->ud = ud;
	q->nr_threads = nr_threads ? nr_threads : 1;
	q->threads = xcalloc(q->nr_threads, sizeof(*q->threads));
	for (i = 0; i < q->nr_threads; i++)
		if (pthread_create(&q->threads[i], NULL, worker, q))
			die("unable to start a worker thread");
	return q;
}

void workq_push(struct workq *q, void *job)
{
	struct node *n = xmalloc(sizeof(*n));
	n->job = job;
	pthread_mutex_lock(&q->lock);
	fifo_put(&q->queued, n);
	q->pending++;
	pthread_cond_signal(&q->queued_cv);
	pthread_mutex_unlock(&q->lock);
}

void *workq_pop(struct workq *q, int wait)
{
	struct node *n;
	void *job = NULL;
	pthread_mutex_lock(&q->lock);
	while (wait && q->pending && !q->done.head)
		pthread_cond_wait(&q->done_cv, &q->lock);
	n = fifo_take(&q->done);
	if (n) {
		q->pending--;
		job = n->job;
		free(n);
	}
	pthread_mutex_unlock(&q->lock);
	return job;
}

size_t workq_pending(const struct workq *q)
{
	return q->pending;
}

void workq_free(struct workq *q)
{
	struct node *n;
	size_t i;
	if (!q)
		return;
	pthread_mutex_lock(&q->lock);
	q->stop = 1;
	pthread_cond_broadcast(&q->queued_cv);
	pthread_mutex_unlock(&q->lock);
	for (i = 0; i < q->nr_threads; i++)
		pthread_join(q->threads[i], NULL);
	while ((n = fifo_take(&q->queued)))
		free(n);
	while ((n = fifo_take(&q->done)))
		free(n);
	pthread_mutex_destroy(&q->lock);
	pthread_cond_destroy(&q->queued_cv);
	pthread_cond_destroy(&q->done_cv);
	free(q->threads);
	free(q);
}

size_t workq_default_threads(size_t max)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		n = 1;
	return (size_t)n > max ? max : (size_t)n;
}
