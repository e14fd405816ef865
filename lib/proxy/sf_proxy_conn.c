/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * One connection's state machine (states drawn in sf_proxy_priv.h): the
 * backend socket (connect, write, read, half-close, reset) and the
 * commands to the client's worker (SEND, CREDIT, CLOSE, ABORT). A command
 * the ring does not take is owed and retried by the next round, in order:
 * ABORT alone; else SEND, CREDIT, then CLOSE after the last SEND.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_mbuf.h>

#include "sf_proxy_priv.h"

#define IOV_BURST	32	/* mbufs written by one sendmsg() */
#define SEND_FLAGS	(MSG_NOSIGNAL | MSG_DONTWAIT)

static struct sf_proxy_backend *
backend_of(struct sf_proxy *p, const struct sf_proxy_conn *c)
{
	return &p->backends.be[c->backend];
}

static void
owe(struct sf_proxy *p, struct sf_proxy_conn *c)
{
	if (c->flags & SF_PC_F_OWED)
		return;
	c->flags |= SF_PC_F_OWED;
	TAILQ_INSERT_TAIL(&p->owed, c, oq);
}

static int
push(struct sf_proxy *p, const struct sf_handle *h, uint8_t type,
     struct rte_mbuf *m, uint32_t credit)
{
	struct sf_cmd cmd;

	sf_cmd_fill(&cmd, h, type, m, credit);
	if (sf_cmd_enqueue(p->cmd_rings[h->worker], &cmd) != 0) {
		SF_PROXY_INC(p, cmd_full);
		return -1;
	}
	return 0;
}

/* Send what is owed, in order; what the ring refuses stays owed. */
static void
flush_cmds(struct sf_proxy *p, struct sf_proxy_conn *c)
{
	if (c->flags & SF_PC_F_ABORT_OWED) {
		if (push(p, &c->h, SF_CMD_ABORT, NULL, 0) == 0)
			c->flags &= ~SF_PC_F_ABORT_OWED;
		else
			owe(p, c);
		return;
	}
	if (c->pending_send != NULL) {
		if (push(p, &c->h, SF_CMD_SEND, c->pending_send, 0) != 0)
			goto owed;
		c->pending_send = NULL;
	}
	if (c->credit_owed != 0) {
		if (push(p, &c->h, SF_CMD_CREDIT, NULL, c->credit_owed) != 0)
			goto owed;
		c->credit_owed = 0;
	}
	if (c->flags & SF_PC_F_CLOSE_OWED) {
		if (push(p, &c->h, SF_CMD_CLOSE, NULL, 0) != 0)
			goto owed;
		c->flags &= ~SF_PC_F_CLOSE_OWED;
	}
	return;
owed:
	owe(p, c);
}

/* Bytes the connection may still SEND before an ACKED. */
static uint32_t
room(const struct sf_proxy_conn *c)
{
	uint32_t in_flight = c->sent - c->acked;

	return in_flight >= c->snd_buf ? 0 : c->snd_buf - in_flight;
}

/* Ask epoll for what the connection waits for, and nothing else. */
static void
set_interest(struct sf_proxy *p, struct sf_proxy_conn *c)
{
	struct epoll_event ev = { .data.ptr = c };
	uint32_t want = 0;
	int op;

	if (c->state == SF_PC_CONNECTING)
		want = EPOLLOUT;
	if (c->state == SF_PC_OPEN) {
		if (!(c->flags & (SF_PC_F_BE_EOF | SF_PC_F_READ_OWED)) &&
		    c->pending_send == NULL && room(c) > 0)
			want |= EPOLLIN;
		if (c->hdr_off < c->hdr_len || c->wq_head != NULL)
			want |= EPOLLOUT;
		/* epoll reports HUP whatever is asked: read it later */
		if ((c->flags & SF_PC_F_HUP) && !(want & EPOLLIN))
			want = 0;
	}
	if (want == c->ep_mask)
		return;
	if (want == 0) {
		epoll_ctl(p->epfd, EPOLL_CTL_DEL, c->fd, NULL);
		c->ep_mask = 0;
		return;
	}
	op = c->ep_mask != 0 ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
	ev.events = want;
	if (epoll_ctl(p->epfd, op, c->fd, &ev) == 0)
		c->ep_mask = want;
}

static void
wq_pop(struct sf_proxy_conn *c)
{
	struct rte_mbuf *m = c->wq_head;

	c->wq_head = m->next;
	if (c->wq_head == NULL)
		c->wq_tail = NULL;
	m->next = NULL;
	rte_pktmbuf_free(m);
}

/* Take @p c off the connecting list, if it is on it. */
static void
unlist(struct sf_proxy *p, struct sf_proxy_conn *c)
{
	if (c->flags & SF_PC_F_LISTED) {
		TAILQ_REMOVE(&p->connecting, c, cq);
		c->flags &= ~SF_PC_F_LISTED;
	}
}

static void
close_fd(struct sf_proxy *p, struct sf_proxy_conn *c, bool reset)
{
	static const struct linger rst = { .l_onoff = 1, .l_linger = 0 };

	unlist(p, c);
	if (c->fd < 0)
		return;
	if (c->ep_mask != 0)
		epoll_ctl(p->epfd, EPOLL_CTL_DEL, c->fd, NULL);
	if (reset)
		setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &rst, sizeof(rst));
	close(c->fd);
	c->fd = -1;
	c->ep_mask = 0;
	c->flags &= ~SF_PC_F_HUP;
	/* an OPEN socket is counted in its backend's active (connected()) */
	if (c->state == SF_PC_OPEN)
		backend_of(p, c)->active--;
}

void
sf_pc_drop(struct sf_proxy *p, struct sf_proxy_conn *c, bool reset)
{
	close_fd(p, c, reset);
	while (c->wq_head != NULL)
		wq_pop(c);
	rte_pktmbuf_free(c->pending_send);
	c->pending_send = NULL;
}

/* The client is reset: socket (if any) reset, ABORT owed. */
static void
go_dead(struct sf_proxy *p, struct sf_proxy_conn *c)
{
	sf_pc_drop(p, c, true);
	c->state = SF_PC_DEAD;
	c->credit_owed = 0;
	c->flags &= ~(SF_PC_F_CLOSE_OWED | SF_PC_F_READ_OWED);
	c->flags |= SF_PC_F_ABORT_OWED;
	flush_cmds(p, c);
}

static void
backend_reset(struct sf_proxy *p, struct sf_proxy_conn *c)
{
	SF_PROXY_INC(p, backend_reset);
	go_dead(p, c);
}

/*
 * Write the PROXY header, then the client's bytes, as far as the socket
 * takes them; CREDIT what was written; shut down for writing once the
 * client's FIN is reached. @return 0, or -1 on a socket error.
 */
static int
write_backend(struct sf_proxy *p, struct sf_proxy_conn *c)
{
	struct iovec iov[IOV_BURST];
	struct msghdr msg = { .msg_iov = iov };
	struct rte_mbuf *m;
	ssize_t n;
	size_t want;

	if (c->hdr_off < c->hdr_len) {
		n = send(c->fd, c->hdr + c->hdr_off, c->hdr_len - c->hdr_off,
			 SEND_FLAGS);
		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -1;
		c->hdr_off = (uint8_t)(c->hdr_off + n);
		if (c->hdr_off < c->hdr_len)
			return 0;
	}
	while (c->wq_head != NULL) {
		msg.msg_iovlen = 0;
		want = 0;
		for (m = c->wq_head; m != NULL && msg.msg_iovlen < IOV_BURST;
		     m = m->next) {
			iov[msg.msg_iovlen].iov_base = rte_pktmbuf_mtod(m,
								       void *);
			iov[msg.msg_iovlen++].iov_len = m->data_len;
			want += m->data_len;
		}
		n = sendmsg(c->fd, &msg, SEND_FLAGS);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EAGAIN ? 0 : -1;
		c->credit_owed += (uint32_t)n;
		backend_of(p, c)->bytes_out += (uint64_t)n;
		for (size_t left = (size_t)n; left > 0;) {
			m = c->wq_head;
			if (left < m->data_len) {
				rte_pktmbuf_adj(m, (uint16_t)left);
				break;
			}
			left -= m->data_len;
			wq_pop(c);
		}
		if ((size_t)n < want)
			return 0;	/* the socket is full */
	}
	if ((c->flags & (SF_PC_F_CLI_FIN | SF_PC_F_SHUT_WR)) ==
	    SF_PC_F_CLI_FIN) {
		c->flags |= SF_PC_F_SHUT_WR;
		if (shutdown(c->fd, SHUT_WR) != 0)
			return -1;
	}
	return 0;
}

/*
 * Read the backend into SENDs while the client's send buffer has room;
 * at end of file, CLOSE after the last SEND.
 */
static void
read_backend(struct sf_proxy *p, struct sf_proxy_conn *c)
{
	struct rte_mbuf *m;
	uint32_t want;
	ssize_t n;

	while (c->state == SF_PC_OPEN && c->pending_send == NULL &&
	       !(c->flags & SF_PC_F_BE_EOF) && room(c) > 0) {
		m = rte_pktmbuf_alloc(p->pool);
		if (m == NULL) {
			SF_PROXY_INC(p, pool_empty);
			c->flags |= SF_PC_F_READ_OWED;
			owe(p, c);
			return;
		}
		want = RTE_MIN(room(c), (uint32_t)rte_pktmbuf_tailroom(m));
		n = recv(c->fd, rte_pktmbuf_mtod(m, void *), want,
			 MSG_DONTWAIT);
		if (n > 0) {
			m->data_len = (uint16_t)n;
			m->pkt_len = (uint32_t)n;
			c->sent += (uint32_t)n;
			backend_of(p, c)->bytes_in += (uint64_t)n;
			c->pending_send = m;
			flush_cmds(p, c);
			continue;
		}
		rte_pktmbuf_free(m);
		if (n == 0) {
			c->flags |= SF_PC_F_BE_EOF | SF_PC_F_CLOSE_OWED;
			flush_cmds(p, c);
			return;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			backend_reset(p, c);
		return;
	}
}

static void
connected(struct sf_proxy *p, struct sf_proxy_conn *c)
{
	struct sf_proxy_backend *be = backend_of(p, c);

	unlist(p, c);
	c->state = SF_PC_OPEN;
	sf_proxy_backend_ok(&p->backends, c->backend);
	be->connections++;
	be->active++;
	if (write_backend(p, c) != 0) {
		backend_reset(p, c);
		return;
	}
	set_interest(p, c);
	flush_cmds(p, c);
}

/*
 * Start a connect() to the chosen backend.
 * @return 1 connected, 0 in progress, -1 refused at once, -2 no socket.
 */
static int
start_connect(struct sf_proxy_conn *c, const struct sf_proxy_addr *a)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	socklen_t sl;
	int one = 1;

	memset(&ss, 0, sizeof(ss));
	if (a->family == SF_AF_INET) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(a->port);
		memcpy(&s4->sin_addr, a->addr, 4);
		sl = sizeof(*s4);
	} else {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(a->port);
		memcpy(&s6->sin6_addr, a->addr, 16);
		sl = sizeof(*s6);
	}
	c->fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		       0);
	if (c->fd < 0)
		return -2;
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(c->fd, (struct sockaddr *)&ss, sl) == 0)
		return 1;
	return errno == EINPROGRESS ? 0 : -1;
}

/* Connect to the next backend up and untried; ABORT when none is left. */
static void
connect_next(struct sf_proxy *p, struct sf_proxy_conn *c, uint64_t now)
{
	int i, ret;

	for (;;) {
		i = sf_proxy_backend_pick(&p->backends, c->hash, c->tried,
					  now);
		if (i < 0) {
			SF_PROXY_INC(p, no_backend);
			go_dead(p, c);
			return;
		}
		c->backend = (uint32_t)i;
		c->tried |= 1u << i;
		ret = start_connect(c, &p->backends.be[i].addr);
		if (ret == 1) {
			connected(p, c);
			return;
		}
		if (ret == 0) {
			c->state = SF_PC_CONNECTING;
			c->deadline = now + p->timeout_tsc;
			TAILQ_INSERT_TAIL(&p->connecting, c, cq);
			c->flags |= SF_PC_F_LISTED;
			set_interest(p, c);
			return;
		}
		if (ret == -2) {
			SF_PROXY_INC(p, socket_fail);
			go_dead(p, c);
			return;
		}
		sf_proxy_backend_fail(&p->backends, (unsigned int)i, now);
		close_fd(p, c, false);
	}
}

void
sf_pc_connect_failed(struct sf_proxy *p, struct sf_proxy_conn *c,
		     uint64_t now)
{
	sf_proxy_backend_fail(&p->backends, c->backend, now);
	close_fd(p, c, false);
	connect_next(p, c, now);
}

void
sf_pc_established(struct sf_proxy *p, const struct sf_event *ev,
		  uint64_t now)
{
	struct sf_proxy_conn *c;
	int n;

	if (!(ev->flags & SF_EV_F_REPLY)) {
		SF_PROXY_INC(p, no_reply);
		return;
	}
	if (ev->handle.worker >= p->n_rings ||
	    sf_proxy_table_find(p, &ev->handle) != NULL) {
		SF_PROXY_INC(p, unknown_handle);
		return;
	}
	c = sf_proxy_table_take(p, &ev->handle);
	if (c == NULL) {
		SF_PROXY_INC(p, table_full);
		push(p, &ev->handle, SF_CMD_ABORT, NULL, 0);
		return;
	}
	SF_PROXY_INC(p, established);
	c->snd_buf = ev->snd_buf;
	c->hash = sf_proxy_source_hash(&ev->flow);
	if (p->pp != SF_PROXY_PP_OFF) {
		n = sf_proxy_pp_encode(p->pp, &ev->flow, c->hdr,
				       sizeof(c->hdr));
		c->hdr_len = n > 0 ? (uint8_t)n : 0;
	}
	connect_next(p, c, now);
}

static int
get_so_error(int fd)
{
	socklen_t sl = sizeof(int);
	int err = 0;

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &sl) != 0)
		return errno;
	return err;
}

void
sf_pc_io(struct sf_proxy *p, struct sf_proxy_conn *c, uint32_t events,
	 uint64_t now)
{
	if (c->state == SF_PC_CONNECTING) {
		if (get_so_error(c->fd) != 0 ||
		    (events & (EPOLLERR | EPOLLHUP)))
			sf_pc_connect_failed(p, c, now);
		else if (events & EPOLLOUT)
			connected(p, c);
		return;
	}
	if (c->state != SF_PC_OPEN)
		return;
	if ((events & EPOLLERR) && get_so_error(c->fd) != 0) {
		backend_reset(p, c);
		return;
	}
	if (events & EPOLLHUP)
		c->flags |= SF_PC_F_HUP;
	if (events & (EPOLLIN | EPOLLHUP))
		read_backend(p, c);
	if (c->state == SF_PC_OPEN && (events & EPOLLOUT) &&
	    write_backend(p, c) != 0)
		backend_reset(p, c);
	if (c->state == SF_PC_OPEN)
		set_interest(p, c);
	flush_cmds(p, c);
}

/* A DATA event: its payload joins the bytes to write. */
static void
client_data(struct sf_proxy *p, struct sf_proxy_conn *c, struct sf_event *ev)
{
	struct rte_mbuf *m = ev->mbuf;

	ev->mbuf = NULL;
	if (m == NULL)
		return;
	if (c->state == SF_PC_DEAD || ev->data_len == 0) {
		rte_pktmbuf_free(m);
		return;
	}
	/* the received frame: one segment (the worker drops any other) */
	if ((uint32_t)ev->data_off + ev->data_len > m->data_len) {
		SF_PROXY_INC(p, bad_mbuf);
		rte_pktmbuf_free(m);
		go_dead(p, c);
		return;
	}
	rte_pktmbuf_adj(m, ev->data_off);
	rte_pktmbuf_trim(m, (uint16_t)(m->data_len - ev->data_len));
	m->next = NULL;
	if (c->wq_tail != NULL)
		c->wq_tail->next = m;
	else
		c->wq_head = m;
	c->wq_tail = m;
	if (c->state != SF_PC_OPEN)
		return;
	if (write_backend(p, c) != 0) {
		backend_reset(p, c);
		return;
	}
	set_interest(p, c);
	flush_cmds(p, c);
}

void
sf_pc_event(struct sf_proxy *p, struct sf_proxy_conn *c, struct sf_event *ev)
{
	switch (ev->type) {
	case SF_EV_DATA:
		client_data(p, c, ev);
		return;
	case SF_EV_FIN:
		c->flags |= SF_PC_F_CLI_FIN;
		if (c->state == SF_PC_OPEN && write_backend(p, c) != 0)
			backend_reset(p, c);
		break;
	case SF_EV_ACKED:
		c->acked = ev->seq;
		read_backend(p, c);
		break;
	case SF_EV_RST:
	case SF_EV_TIMEOUT:
		if (c->fd >= 0)
			SF_PROXY_INC(p, client_reset);
		sf_pc_drop(p, c, true);
		sf_proxy_table_put(p, c);
		sf_event_release(ev);
		return;
	case SF_EV_CLOSED:
		SF_PROXY_INC(p, closed);
		sf_pc_drop(p, c, false);
		sf_proxy_table_put(p, c);
		return;
	default:
		break;
	}
	sf_event_release(ev);
	if (c->state == SF_PC_OPEN)
		set_interest(p, c);
	flush_cmds(p, c);
}

bool
sf_pc_retry(struct sf_proxy *p, struct sf_proxy_conn *c)
{
	flush_cmds(p, c);
	if ((c->flags & SF_PC_F_READ_OWED) && c->state == SF_PC_OPEN) {
		c->flags &= ~SF_PC_F_READ_OWED;
		read_backend(p, c);
		if (c->state == SF_PC_OPEN)
			set_interest(p, c);
	}
	return c->pending_send == NULL && c->credit_owed == 0 &&
		!(c->flags & (SF_PC_F_ABORT_OWED | SF_PC_F_CLOSE_OWED |
			      SF_PC_F_READ_OWED));
}
