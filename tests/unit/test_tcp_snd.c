/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Unit tests of the reply channel in lib/tcp, as tables: no mbufs, no
 * rings, no EAL, no clock (times are given).
 *
 *   send path   scripts of steps on one send state (sf_tcp_snd.h): queue,
 *               close, the client's window, next segment, ACK, timer,
 *               and checks of the state's fields after any step
 *   input       sf_tcp_input() with the reply channel on: (entry, send
 *               state, segment, ring room) -> (action, next entry)
 *   credit      sf_tcp_credit(), sf_tcp_rcv_window()
 *
 * The clock runs at 1 GHz (one tick a nanosecond), so RFC 6298's
 * figures are written in milliseconds and checked to the tick. Sequence
 * numbers start 4 KB before they wrap.
 */

#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <rte_common.h>

#include "sf_conn.h"
#include "sf_net.h"
#include "sf_tcp.h"
#include "sf_tcp_snd.h"

/** One field of one step: 0 when it matches, else printed and 1. */
static int
expect(const char *row, unsigned int step, const char *field, uint64_t got,
       uint64_t want)
{
	if (got == want)
		return 0;
	print_error("row \"%s\", step %u: %s = %" PRIu64 " (0x%" PRIx64
		    "), want %" PRIu64 " (0x%" PRIx64 ")\n",
		    row, step, field, got, got, want, want);
	return 1;
}

#define EXPECT(row, k, field, got, want) \
	expect((row), (k), (field), (uint64_t)(got), (uint64_t)(want))

#define HZ	UINT64_C(1000000000)	/* TSC rate: a tick is 1 ns */
#define MS(x)	((uint64_t)(x) * 1000000)
#define T0	UINT64_C(1000000000007)	/* time 0 of every script */
#define MS0	UINT32_C(50000)		/* our TSval clock at T0 */
#define SI	UINT32_C(0xfffff000)	/* ISS: the sequence wraps soon */
#define S0	(SI + 1)		/* the first byte we send */

static void
policy_of(struct sf_tcp_policy *pol, uint8_t retries)
{
	memset(pol, 0, sizeof(*pol));
	pol->window = 65535;
	pol->credit = 262144;
	pol->reply = 1;
	pol->retries = retries;
	sf_tcp_policy_clock(pol, HZ);
}

/* ------------------------------------------------------------------ */
/* The send path: scripts                                              */

enum op {
	OP_END = 0,
	OP_AT,		/* now = T0 + v (TSval clock MS0 + v / 1 ms) */
	OP_QUEUE,	/* sf_tcp_snd_queue(x0) returns -x1 */
	OP_CLOSE,	/* sf_tcp_close() returns -x0 */
	OP_WND,		/* the client's window: snd_wnd = x0 */
	OP_SEG,		/* a segment: seq S0 + x0, len x1, fin x2, flags x3 */
	OP_SEGS,	/* x2 segments of x1 bytes from S0 + x0, flags x3 */
	OP_NOSEG,	/* no segment */
	OP_ACK,		/* ACK S0 + x0 (x1: A_*, x2: TSecr ms ago), acked
			 * x3, v: R_* */
	OP_SACK,	/* ACK S0 + x0, its window changed (no A_DUP), one
			 * SACK block S0 + (x1 & 0xffff) .. S0 + (x1 >> 16),
			 * acked x3, v: R_* */
	OP_FIRE,	/* sf_tcp_snd_timer() returns x0 */
	OP_EQ,		/* field f == v */
	OP_SET,		/* field f = v */
};

/* OP_ACK x1 bits. */
#define A_DUP	0x1	/* a duplicate candidate */
#define A_TS	0x2	/* with TSecr = now_ms - x2 */
#define A_TS0	0x4	/* with TSecr = 0 */
/* OP_ACK results (v). */
#define R_OUT	0x1
#define R_FAST	0x2
#define R_DONE	0x4
#define R_FIN	0x8

/* Fields (OP_EQ, OP_SET); sequence numbers relative to S0, times to T0. */
enum field {
	F_CWND, F_SSTHRESH, F_SRTT, F_RTTVAR, F_RTO, F_BACKOFF, F_TRIES,
	F_DUPACKS, F_TIMER, F_DUE, F_UNA, F_NXT, F_MAX, F_END, F_FLAGS,
	F_SNDNXT, F_STATE, F_SACKED, F_NSB, F_HIGHRXT,
};

static const char *const field_name[] = {
	"cwnd", "ssthresh", "srtt", "rttvar", "rto", "backoff", "tries",
	"dupacks", "timer", "due", "una", "nxt", "max", "end", "flags",
	"conn snd_nxt", "conn state", "sacked", "nsb", "high_rxt",
};

#define NO_DUE	UINT64_MAX

struct step {
	uint8_t op;
	uint8_t f;		/* enum field */
	uint32_t x[4];
	uint64_t v;
};

#define AT(t)		{ OP_AT, .v = (t) }
#define Q(n)		{ OP_QUEUE, .x = { (n), 0 } }
#define Q_ERR(n, e)	{ OP_QUEUE, .x = { (n), (e) } }
#define CLOSE(e)	{ OP_CLOSE, .x = { (e) } }
#define WND(w)		{ OP_WND, .x = { (w) } }
#define SEG(o, l, fin, fl)	{ OP_SEG, .x = { (o), (l), (fin), (fl) } }
#define SEGS(o, l, n)	{ OP_SEGS, .x = { (o), (l), (n), 0 } }
#define NOSEG		{ OP_NOSEG }
#define ACK(o, acked, r)	{ OP_ACK, .x = { (o), 0, 0, (acked) }, .v = (r) }
#define DUP(o, r)	{ OP_ACK, .x = { (o), A_DUP, 0, 0 }, .v = (r) }
#define TSACK(o, ago, acked, r) \
	{ OP_ACK, .x = { (o), A_TS, (uint32_t)(ago), (acked) }, .v = (r) }
#define TS0ACK(o, acked, r) \
	{ OP_ACK, .x = { (o), A_TS0, 0, (acked) }, .v = (r) }
#define SACK(o, s_, e_, acked, r) \
	{ OP_SACK, .x = { (o), (uint32_t)(s_) | (uint32_t)(e_) << 16, 0, \
			  (acked) }, .v = (r) }
#define FIRE(k)		{ OP_FIRE, .x = { (k) } }
#define EQ(f_, v_)	{ OP_EQ, .f = (f_), .v = (v_) }
#define SET(f_, v_)	{ OP_SET, .f = (f_), .v = (v_) }

#define REX	SF_TCP_SEG_REXMIT
#define FAST	SF_TCP_SEG_FAST
#define PROBE	SF_TCP_SEG_PROBE
#define TM_RTO	SF_TCP_TIMER_RTO
#define TM_PER	SF_TCP_TIMER_PERSIST
#define TM_NONE	SF_TCP_TIMER_NONE
#define TM_TLP	SF_TCP_TIMER_TLP
#define TLP	SF_TCP_SEG_TLP
#define FI_TLP	SF_TCP_FIRE_TLP
#define FI_NONE	SF_TCP_FIRE_NONE
#define FI_RTX	SF_TCP_FIRE_RETRANSMIT
#define FI_PRB	SF_TCP_FIRE_PROBE
#define FI_GIVE	SF_TCP_FIRE_GIVE_UP

/* snd_row.ts bits */
#define TS	1
#define SACK_ON	2

#define STEPS_MAX	48

struct snd_row {
	const char *name;
	uint16_t mss;		/* negotiated (the segment's is 12 less with ts) */
	uint8_t ts;		/* TS: timestamps on, SACK: SACK-permitted */
	uint32_t wnd;		/* the client's window */
	uint8_t retries;	/* policy */
	uint32_t seg_max;	/* frame room, 0: 65535 */
	uint8_t no_min;		/* policy rto_min 0 (to see G) */
	uint8_t state;		/* entry's, 0: ESTABLISHED */
	struct step s[STEPS_MAX];
};

static const struct snd_row snd_rows[] = {
	/* -- segmentation and windows */
	{ "IW 10 segments of the MSS, then cwnd-limited; RTO armed",
	  1000, 0, 65535, 8, 0, 0, 0, {
	  EQ(F_CWND, 10000), EQ(F_SSTHRESH, UINT32_MAX), EQ(F_RTO, MS(1000)),
	  EQ(F_DUE, NO_DUE), Q(25000), EQ(F_END, 25000), AT(0),
	  SEGS(0, 1000, 10), NOSEG, EQ(F_MAX, 10000), EQ(F_SNDNXT, 10000),
	  EQ(F_TIMER, TM_RTO), EQ(F_DUE, MS(1000)),
	  EQ(F_FLAGS, SF_TCP_SND_F_TIMING) } },
	{ "IW of a 1460 MSS: 14600 (RFC 6928)",
	  1460, 0, 65535, 8, 0, 0, 0, { EQ(F_CWND, 14600) } },
	{ "IW of a jumbo MSS: 2 segments (RFC 6928)",
	  8960, 0, 65535, 8, 0, 0, 0, { EQ(F_CWND, 17920) } },
	{ "timestamps: segments 12 bytes less, none timed",
	  1012, 1, 65535, 8, 0, 0, 0, {
	  Q(3000), AT(0), SEGS(0, 1000, 3), NOSEG, EQ(F_FLAGS, 0) } },
	{ "frame room below the MSS: segments of the room",
	  1460, 0, 65535, 8, 600, 0, 0, {
	  Q(1500), AT(0), SEG(0, 600, 0, 0), SEG(600, 600, 0, 0),
	  SEG(1200, 300, 0, 0), NOSEG } },
	{ "client window 2500: a short segment waits for the ACKs",
	  1000, 0, 2500, 8, 0, 0, 0, {
	  Q(5000), AT(0), SEGS(0, 1000, 2), NOSEG, AT(MS(10)),
	  ACK(2000, 2000, R_OUT), SEGS(2000, 1000, 2), NOSEG,
	  EQ(F_NXT, 4000), EQ(F_CWND, 11000) } },
	{ "window below a segment, nothing in flight: sent",
	  1000, 0, 300, 8, 0, 0, 0, {
	  Q(1000), AT(0), SEG(0, 300, 0, 0), NOSEG,
	  ACK(300, 300, R_OUT), SEG(300, 300, 0, 0), NOSEG } },
	{ "cwnd below the window: cwnd-limited",
	  1000, 0, 65535, 8, 0, 0, 0, {
	  SET(F_CWND, 3000), Q(5000), AT(0), SEGS(0, 1000, 3), NOSEG } },
	/* -- congestion window growth */
	{ "slow start: + min(acked, MSS) per ACK",
	  1000, 0, 65535, 8, 0, 0, 0, {
	  Q(30000), AT(0), SEGS(0, 1000, 10), AT(MS(10)),
	  ACK(1000, 1000, R_OUT), EQ(F_CWND, 11000),
	  ACK(3000, 2000, R_OUT), EQ(F_CWND, 12000) } },
	{ "congestion avoidance: + MSS * MSS / cwnd per ACK",
	  1000, 0, 65535, 8, 0, 0, 0, {
	  SET(F_SSTHRESH, 5000), Q(30000), AT(0), SEGS(0, 1000, 10),
	  ACK(1000, 1000, R_OUT), EQ(F_CWND, 10100),
	  ACK(2000, 1000, R_OUT), EQ(F_CWND, 10199) } },
	/* -- retransmission timeout */
	{ "RTO: go back, cwnd 1 MSS, backoff 1 2 4 s, give up after 3",
	  1000, 0, 65535, 3, 0, 0, 0, {
	  Q(3000), AT(0), SEGS(0, 1000, 3), EQ(F_DUE, MS(1000)),
	  AT(MS(1000) - 1), FIRE(FI_NONE),
	  AT(MS(1000)), FIRE(FI_RTX), EQ(F_BACKOFF, 1), EQ(F_TRIES, 1),
	  EQ(F_CWND, 1000), EQ(F_SSTHRESH, 2000), EQ(F_NXT, 0),
	  EQ(F_FLAGS, 0), EQ(F_DUE, MS(3000)),
	  SEG(0, 1000, 0, REX), NOSEG,
	  AT(MS(3000)), FIRE(FI_RTX), EQ(F_DUE, MS(7000)),
	  EQ(F_SSTHRESH, 2000), SEG(0, 1000, 0, REX),
	  AT(MS(7000)), FIRE(FI_RTX), EQ(F_TRIES, 3), EQ(F_DUE, MS(15000)),
	  AT(MS(15000)), FIRE(FI_GIVE), EQ(F_TIMER, TM_NONE) } },
	{ "RTO: ssthresh = FlightSize / 2 on the first timeout",
	  1000, 0, 65535, 8, 0, 0, 0, {
	  Q(10000), AT(0), SEGS(0, 1000, 10), AT(MS(1000)), FIRE(FI_RTX),
	  EQ(F_SSTHRESH, 5000), EQ(F_CWND, 1000), SEG(0, 1000, 0, REX),
	  NOSEG, AT(MS(1500)), ACK(1000, 1000, R_OUT), EQ(F_CWND, 2000),
	  EQ(F_TRIES, 0), EQ(F_DUE, MS(1500) + MS(2000)),
	  SEG(1000, 1000, 0, REX), SEG(2000, 1000, 0, REX), NOSEG } },
	{ "RTO: backoff capped at rto_max (60 s)",
	  1000, 0, 65535, 10, 0, 0, 0, {
	  Q(1000), AT(0), SEG(0, 1000, 0, 0),
	  AT(MS(1000)), FIRE(FI_RTX), AT(MS(3000)), FIRE(FI_RTX),
	  AT(MS(7000)), FIRE(FI_RTX), AT(MS(15000)), FIRE(FI_RTX),
	  AT(MS(31000)), FIRE(FI_RTX), EQ(F_DUE, MS(63000)),
	  AT(MS(63000)), FIRE(FI_RTX), EQ(F_BACKOFF, 6),
	  EQ(F_DUE, MS(123000)) } },
	/* -- RTT estimation, RFC 6298 */
	{ "RTT from timed segments: 100, 200, 1 ms (hand-computed)",
	  1000, 0, 65535, 8, 0, 0, 0, {
	  Q(3000), AT(0), SEG(0, 1000, 0, 0), AT(MS(100)),
	  /* R = 100: SRTT = 100, RTTVAR = 50, RTO = 100 + 4 * 50 */
	  ACK(1000, 1000, R_OUT), EQ(F_SRTT, MS(100)), EQ(F_RTTVAR, MS(50)),
	  EQ(F_RTO, MS(300)), EQ(F_DUE, NO_DUE),
	  SEG(1000, 1000, 0, 0), SEG(2000, 1000, 0, 0), NOSEG,
	  EQ(F_DUE, MS(400)), AT(MS(300)),
	  /* R' = 200: RTTVAR = 3/4 50 + 1/4 100 = 62.5, SRTT = 7/8 100 +
	   * 1/8 200 = 112.5, RTO = 112.5 + 250 = 362.5 */
	  ACK(2000, 1000, 0), EQ(F_RTTVAR, 62500000), EQ(F_SRTT, 112500000),
	  EQ(F_RTO, 362500000), EQ(F_DUE, MS(300) + 362500000),
	  Q(1000), SEG(3000, 1000, 0, 0), AT(MS(301)),
	  /* the untimed segment 2000..3000 acked first: no sample */
	  ACK(3000, 1000, 0), EQ(F_SRTT, 112500000),
	  /* R' = 1: RTTVAR = (3 * 62.5 + 111.5) / 4 = 74.75, SRTT =
	   * (7 * 112.5 + 1) / 8 = 98.5625, RTO = 98.5625 + 299 */
	  ACK(4000, 1000, R_DONE), EQ(F_RTTVAR, 74750000),
	  EQ(F_SRTT, 98562500), EQ(F_RTO, 397562500),
	  EQ(F_TIMER, TM_NONE) } },
	{ "RTO floor: a 1 ms RTT gives 200 ms",
	  1000, 0, 65535, 8, 0, 0, 0, {
	  Q(1000), AT(0), SEG(0, 1000, 0, 0), AT(MS(1)),
	  ACK(1000, 1000, R_DONE), EQ(F_SRTT, MS(1)), EQ(F_RTTVAR, 500000),
	  EQ(F_RTO, MS(200)) } },
	{ "clock granularity G = 1 ms when 4 * RTTVAR is less (no floor)",
	  1000, 0, 65535, 8, 0, 1, 0, {
	  Q(1000), AT(0), SEG(0, 1000, 0, 0), AT(100),
	  ACK(1000, 1000, R_DONE), EQ(F_SRTT, 100), EQ(F_RTTVAR, 50),
	  EQ(F_RTO, 100 + MS(1)) } },
	{ "RTT from TSecr (RFC 7323 4): 50 ms; TSecr 0 or ahead: none",
	  1012, 1, 65535, 8, 0, 0, 0, {
	  Q(3000), AT(0), SEGS(0, 1000, 3), AT(MS(100)),
	  TSACK(1000, 50, 1000, 0), EQ(F_SRTT, MS(50)), EQ(F_RTTVAR, MS(25)),
	  EQ(F_RTO, MS(200)),
	  TS0ACK(2000, 1000, 0), EQ(F_SRTT, MS(50)),
	  TSACK(3000, -5, 1000, R_DONE), EQ(F_SRTT, MS(50)) } },
	{ "Karn: no sample from a retransmitted segment, backoff kept",
	  1000, 0, 65535, 8, 0, 0, 0, {
	  Q(1000), AT(0), SEG(0, 1000, 0, 0), AT(MS(1000)), FIRE(FI_RTX),
	  SEG(0, 1000, 0, REX), AT(MS(1200)), ACK(1000, 1000, R_DONE),
	  EQ(F_SRTT, 0), EQ(F_BACKOFF, 1), EQ(F_RTO, MS(1000)),
	  EQ(F_TIMER, TM_NONE),
	  Q(1000), SEG(1000, 1000, 0, 0), EQ(F_DUE, MS(1200) + MS(2000)),
	  AT(MS(1300)), ACK(2000, 1000, R_DONE), EQ(F_SRTT, MS(100)),
	  EQ(F_BACKOFF, 0), EQ(F_RTO, MS(300)) } },
	/* -- duplicate ACKs */
	{ "limited transmit on dup ACKs 1 and 2, the third: NewReno",
	  1000, 0, 65535, 8, 0, 0, 0, {
	  Q(20000), AT(0), SEGS(0, 1000, 10), AT(MS(10)),
	  DUP(0, R_OUT), EQ(F_DUPACKS, 1), SEG(10000, 1000, 0, 0), NOSEG,
	  DUP(0, R_OUT), SEG(11000, 1000, 0, 0), NOSEG, EQ(F_CWND, 10000),
	  DUP(0, R_FAST | R_OUT), EQ(F_SSTHRESH, 6000), EQ(F_CWND, 9000),
	  EQ(F_FLAGS, SF_TCP_SND_F_RECOVERY | SF_TCP_SND_F_REXMIT),
	  SEG(0, 1000, 0, REX | FAST), NOSEG, EQ(F_NXT, 12000),
	  DUP(0, R_OUT), EQ(F_CWND, 10000), NOSEG,
	  DUP(0, R_OUT), DUP(0, R_OUT), DUP(0, R_OUT), EQ(F_CWND, 13000),
	  SEG(12000, 1000, 0, 0), NOSEG,
	  /* partial ACK: the next hole, cwnd 13000 - 5000 + 1000 */
	  ACK(5000, 5000, R_OUT), EQ(F_CWND, 9000),
	  SEG(5000, 1000, 0, REX | FAST), SEG(13000, 1000, 0, 0), NOSEG,
	  /* full ACK: min(ssthresh, max(FlightSize, MSS) + MSS) */
	  ACK(14000, 9000, R_OUT), EQ(F_CWND, 2000), EQ(F_DUPACKS, 0),
	  EQ(F_FLAGS, 0) } },
	{ "not duplicates: window updates, nothing outstanding",
	  1000, 0, 65535, 8, 0, 0, 0, {
	  Q(5000), AT(0), SEGS(0, 1000, 5),
	  ACK(0, 0, 0), ACK(0, 0, 0), ACK(0, 0, 0), EQ(F_DUPACKS, 0),
	  ACK(5000, 5000, R_DONE), DUP(5000, R_DONE), DUP(5000, R_DONE),
	  DUP(5000, R_DONE), EQ(F_DUPACKS, 0) } },
	{ "no fast retransmit for data sent before a timeout (RFC 6582)",
	  1000, 0, 65535, 8, 0, 0, 0, {
	  Q(10000), AT(0), SEGS(0, 1000, 10), AT(MS(1000)), FIRE(FI_RTX),
	  SEG(0, 1000, 0, REX), DUP(0, 0), DUP(0, 0), DUP(0, 0),
	  EQ(F_DUPACKS, 3), EQ(F_FLAGS, 0), NOSEG } },
	/* -- SACK (RFC 6675), early retransmit, tail loss probe */
	{ "SACK: ACKs whose window grows count when they SACK new data",
	  1000, SACK_ON, 65535, 8, 0, 0, 0, {
	  Q(20000), AT(0), SEGS(0, 1000, 10), AT(MS(10)),
	  /* segment 0 lost; limited transmit on the first two */
	  SACK(0, 1000, 2000, 0, R_OUT), EQ(F_DUPACKS, 1),
	  SEG(10000, 1000, 0, 0), NOSEG,
	  SACK(0, 1000, 3000, 0, R_OUT), SEG(11000, 1000, 0, 0), NOSEG,
	  SACK(0, 1000, 4000, 0, R_FAST | R_OUT), EQ(F_SACKED, 3000),
	  EQ(F_SSTHRESH, 6000), EQ(F_CWND, 6000),
	  SEG(0, 1000, 0, REX | FAST), EQ(F_HIGHRXT, 1000), NOSEG,
	  /* pipe = 12000 - SACKed: new data once it is below cwnd - MSS */
	  SACK(0, 1000, 7000, 0, R_OUT), NOSEG,
	  SACK(0, 1000, 8000, 0, R_OUT), SEG(12000, 1000, 0, 0), NOSEG,
	  /* the hole filled: a full ACK ends recovery */
	  ACK(12000, 12000, R_OUT), EQ(F_NSB, 0), EQ(F_SACKED, 0),
	  EQ(F_CWND, 2000), EQ(F_FLAGS, SF_TCP_SND_F_TIMING),
	  SEG(13000, 1000, 0, 0) } },
	{ "SACK: two holes resent from HighRxt, SACKed bytes never",
	  1000, SACK_ON, 65535, 8, 0, 0, 0, {
	  Q(20000), AT(0), SEGS(0, 1000, 10), AT(MS(10)),
	  /* segments 0 and 3 lost */
	  SACK(0, 1000, 2000, 0, R_OUT), SEG(10000, 1000, 0, 0),
	  SACK(0, 1000, 3000, 0, R_OUT), SEG(11000, 1000, 0, 0),
	  SACK(0, 4000, 5000, 0, R_FAST | R_OUT), EQ(F_NSB, 2),
	  EQ(F_SACKED, 3000), SEG(0, 1000, 0, REX | FAST), NOSEG,
	  /* pipe 12000 - 7000 - 1000 (the hole at 3000) = 4000 */
	  SACK(0, 4000, 9000, 0, R_OUT), EQ(F_SACKED, 7000),
	  SEG(3000, 1000, 0, REX | FAST), EQ(F_HIGHRXT, 4000),
	  SEG(12000, 1000, 0, 0), NOSEG,
	  /* partial ACK: no forced resend (the SACKs say what is out) */
	  ACK(3000, 3000, R_OUT), EQ(F_NSB, 1), EQ(F_SACKED, 5000),
	  SEG(13000, 1000, 0, 0), NOSEG,
	  ACK(14000, 11000, R_OUT), EQ(F_FLAGS, 0), EQ(F_NSB, 0) } },
	{ "SACK: early retransmit, the last segment SACKed, nothing new",
	  1000, SACK_ON, 65535, 8, 0, 0, 0, {
	  Q(3000), AT(0), SEGS(0, 1000, 3), NOSEG, AT(MS(10)),
	  SACK(0, 1000, 2000, 0, 0), EQ(F_DUPACKS, 1), NOSEG,
	  SACK(0, 1000, 3000, 0, R_FAST | R_OUT),
	  SEG(0, 1000, 0, REX | FAST), NOSEG,
	  ACK(3000, 3000, R_DONE) } },
	{ "SACK: D-SACK and blocks beyond SND.MAX clipped; 8 ranges kept",
	  1000, SACK_ON, 65535, 8, 0, 0, 0, {
	  Q(20000), AT(0), SEGS(0, 1000, 10), AT(MS(10)),
	  ACK(1000, 1000, R_OUT), SEGS(10000, 1000, 2),
	  SACK(1000, 0, 500, 0, R_OUT), EQ(F_NSB, 0), EQ(F_DUPACKS, 0),
	  SACK(1000, 11500, 13000, 0, R_OUT), EQ(F_SACKED, 500),
	  SACK(1000, 1200, 1300, 0, R_OUT),
	  SACK(1000, 2200, 2300, 0, R_FAST | R_OUT),
	  SACK(1000, 3200, 3300, 0, R_OUT),
	  SACK(1000, 4200, 4300, 0, R_OUT), SACK(1000, 5200, 5300, 0, R_OUT),
	  SACK(1000, 6200, 6300, 0, R_OUT), SACK(1000, 7200, 7300, 0, R_OUT),
	  EQ(F_NSB, 8), EQ(F_SACKED, 1200),
	  /* a ninth: the highest range is forgotten */
	  SACK(1000, 8200, 8300, 0, R_OUT), EQ(F_NSB, 8), EQ(F_SACKED, 800),
	  /* touching ranges merge */
	  SACK(1000, 1300, 2200, 0, R_OUT), EQ(F_NSB, 7),
	  EQ(F_SACKED, 1700) } },
	{ "RTO forgets the SACKed ranges (RFC 2018 8)",
	  1000, SACK_ON, 65535, 8, 0, 0, 0, {
	  Q(5000), AT(0), SEGS(0, 1000, 5), SACK(0, 1000, 2000, 0, 0),
	  EQ(F_TIMER, TM_RTO), AT(MS(1000)), FIRE(FI_RTX), EQ(F_NSB, 0),
	  EQ(F_SACKED, 0), SEG(0, 1000, 0, REX), NOSEG } },
	{ "TLP: PTO = 2 SRTT, the last segment again, its SACK recovers",
	  1012, TS | SACK_ON, 65535, 8, 0, 0, 0, {
	  Q(5000), AT(0), SEGS(0, 1000, 5), AT(MS(10)),
	  TSACK(1000, 10, 1000, 0), EQ(F_SRTT, MS(10)),
	  EQ(F_TIMER, TM_TLP), EQ(F_DUE, MS(30)),
	  AT(MS(30) - 1), FIRE(FI_NONE),
	  AT(MS(30)), FIRE(FI_TLP), EQ(F_TIMER, TM_RTO),
	  EQ(F_DUE, MS(230)), EQ(F_TRIES, 0),
	  SEG(4000, 1000, 0, REX | TLP), NOSEG,
	  /* only the probe arrived: ACK 1000 SACKs the last segment */
	  AT(MS(40)), SACK(1000, 4000, 5000, 0, R_FAST | R_OUT),
	  EQ(F_CWND, 2000), SEG(1000, 1000, 0, REX | FAST),
	  SEG(2000, 1000, 0, REX | FAST), NOSEG,
	  ACK(3000, 2000, R_OUT), SEG(3000, 1000, 0, REX | FAST), NOSEG,
	  ACK(5000, 2000, R_DONE), EQ(F_TIMER, TM_NONE) } },
	{ "TLP: new data first when the client's window takes it",
	  1012, TS | SACK_ON, 65535, 8, 0, 0, 0, {
	  SET(F_CWND, 2000), Q(5000), AT(0), SEGS(0, 1000, 2), NOSEG,
	  AT(MS(10)), TSACK(1000, 10, 1000, R_OUT), SEGS(2000, 1000, 2),
	  NOSEG, EQ(F_DUE, MS(30)), AT(MS(30)), FIRE(FI_TLP),
	  SEG(4000, 1000, 0, TLP), NOSEG, EQ(F_TIMER, TM_RTO) } },
	{ "TLP: one segment out, a delayed ACK's 40 ms more",
	  1012, TS | SACK_ON, 65535, 8, 0, 0, 0, {
	  Q(2000), AT(0), SEGS(0, 1000, 2), AT(MS(10)),
	  TSACK(1000, 10, 1000, 0), EQ(F_TIMER, TM_TLP),
	  EQ(F_DUE, MS(70)) } },
	{ "no TLP without SACK",
	  1012, TS, 65535, 8, 0, 0, 0, {
	  Q(5000), AT(0), SEGS(0, 1000, 5), AT(MS(10)),
	  TSACK(1000, 10, 1000, 0), EQ(F_TIMER, TM_RTO) } },
	/* -- zero window */
	{ "zero window: persist probes with backoff, the window opens",
	  1000, 0, 0, 8, 0, 0, 0, {
	  Q(1000), AT(0), NOSEG, EQ(F_TIMER, TM_PER), EQ(F_DUE, MS(1000)),
	  AT(MS(1000) - 1), FIRE(FI_NONE),
	  AT(MS(1000)), FIRE(FI_PRB), EQ(F_BACKOFF, 1), EQ(F_DUE, MS(3000)),
	  SEG(0, 1, 0, PROBE), EQ(F_MAX, 1), EQ(F_NXT, 0), EQ(F_SNDNXT, 1),
	  NOSEG,
	  /* answered, window still 0: no dup ACK, tries reset */
	  AT(MS(1100)), DUP(0, 0), EQ(F_DUPACKS, 0), EQ(F_TRIES, 0),
	  AT(MS(3000)), FIRE(FI_PRB), EQ(F_DUE, MS(7000)),
	  SEG(0, 1, 0, PROBE | REX),
	  WND(4000), AT(MS(3100)), ACK(0, 0, R_OUT), EQ(F_TIMER, TM_NONE),
	  EQ(F_BACKOFF, 0), SEG(0, 1000, 0, REX), EQ(F_TIMER, TM_RTO),
	  EQ(F_DUE, MS(4100)) } },
	{ "zero window: a probe taken moves una, persist goes on",
	  1000, 0, 0, 8, 0, 0, 0, {
	  Q(1000), AT(0), NOSEG, AT(MS(1000)), FIRE(FI_PRB),
	  SEG(0, 1, 0, PROBE), ACK(1, 1, 0), EQ(F_UNA, 1), EQ(F_NXT, 1),
	  EQ(F_TIMER, TM_PER), NOSEG } },
	{ "zero window: give up after retries unanswered probes",
	  1000, 0, 0, 2, 0, 0, 0, {
	  Q(10), AT(0), NOSEG, AT(MS(1000)), FIRE(FI_PRB),
	  SEG(0, 1, 0, PROBE), AT(MS(3000)), FIRE(FI_PRB), EQ(F_TRIES, 2),
	  AT(MS(7000)), FIRE(FI_GIVE), EQ(F_TIMER, TM_NONE) } },
	/* -- FIN */
	{ "CLOSE: FIN with the last bytes, its ACK ends the state",
	  1000, 0, 65535, 8, 0, 0, 0, {
	  Q(1500), CLOSE(0), EQ(F_STATE, SF_CONN_FIN_WAIT_1), AT(0),
	  SEG(0, 1000, 0, 0), SEG(1000, 500, 1, 0), NOSEG, EQ(F_MAX, 1501),
	  EQ(F_SNDNXT, 1501),
	  ACK(1500, 1500, 0), EQ(F_TIMER, TM_RTO),
	  ACK(1501, 0, R_DONE | R_FIN), EQ(F_TIMER, TM_NONE) } },
	{ "CLOSE: the FIN lost is retransmitted alone",
	  1000, 0, 65535, 8, 0, 0, 0, {
	  Q(1000), CLOSE(0), AT(0), SEG(0, 1000, 1, 0), AT(MS(100)),
	  ACK(1000, 1000, 0), EQ(F_DUE, MS(400)), AT(MS(400)), FIRE(FI_RTX),
	  SEG(1000, 0, 1, REX), NOSEG, ACK(1001, 0, R_DONE | R_FIN) } },
	{ "CLOSE: a FIN needs no window",
	  1000, 0, 0, 8, 0, 0, 0, {
	  CLOSE(0), AT(0), SEG(0, 0, 1, 0), NOSEG, EQ(F_TIMER, TM_RTO) } },
	{ "CLOSE in CLOSE_WAIT: LAST_ACK; SEND after CLOSE; CLOSE twice",
	  1000, 0, 65535, 8, 0, 0, SF_CONN_CLOSE_WAIT, {
	  Q(10), CLOSE(0), EQ(F_STATE, SF_CONN_LAST_ACK), Q_ERR(10, EPIPE),
	  EQ(F_END, 10), CLOSE(EALREADY) } },
	{ "CLOSE in CLOSING: refused",
	  1000, 0, 65535, 8, 0, 0, SF_CONN_CLOSING, {
	  CLOSE(EINVAL), EQ(F_FLAGS, 0) } },
};

static uint64_t
field_get(const struct sf_tcp_snd *s, const struct sf_conn *c, uint8_t f)
{
	switch (f) {
	case F_CWND: return s->cwnd;
	case F_SSTHRESH: return s->ssthresh;
	case F_SRTT: return s->srtt;
	case F_RTTVAR: return s->rttvar;
	case F_RTO: return s->rto;
	case F_BACKOFF: return s->backoff;
	case F_TRIES: return s->tries;
	case F_DUPACKS: return s->dupacks;
	case F_TIMER: return s->timer;
	case F_DUE:
		return sf_tcp_snd_due(s) == UINT64_MAX ? NO_DUE :
			sf_tcp_snd_due(s) - T0;
	case F_UNA: return s->una - S0;
	case F_NXT: return s->nxt - S0;
	case F_MAX: return s->max - S0;
	case F_END: return s->end - S0;
	case F_FLAGS: return s->flags;
	case F_SNDNXT: return c->snd_nxt - S0;
	case F_SACKED: return sf_tcp_snd_sacked(s);
	case F_NSB: return s->nsb;
	case F_HIGHRXT: return s->high_rxt - S0;
	default: return c->state;
	}
}

static void
field_set(struct sf_tcp_snd *s, uint8_t f, uint64_t v)
{
	if (f == F_CWND)
		s->cwnd = (uint32_t)v;
	else if (f == F_SSTHRESH)
		s->ssthresh = (uint32_t)v;
	else
		fail_msg("field %u cannot be set", f);
}

/** A script's world: the entry, its send state, the clock. */
struct snd_run {
	const struct snd_row *r;
	struct sf_tcp_policy pol;
	struct sf_conn c;
	struct sf_tcp_snd s;
	uint64_t now;
	uint32_t now_ms;
};

/* One expected segment (OP_SEG, and each of OP_SEGS). */
static int
seg_check(struct snd_run *w, unsigned int k, uint32_t off, uint32_t len,
	  uint32_t fin, uint32_t flags)
{
	uint32_t seg_max = w->r->seg_max != 0 ? w->r->seg_max : 65535;
	uint32_t una = w->s.una;
	struct sf_tcp_seg g;
	const char *n = w->r->name;
	int bad = 0;

	if (sf_tcp_snd_next(&w->s, &w->c, &w->pol, seg_max, w->now, &g) != 1)
		return EXPECT(n, k, "a segment", 0, 1);
	bad += EXPECT(n, k, "seg seq - S0", g.seq - S0, off);
	bad += EXPECT(n, k, "seg off", g.off, g.seq - una);
	bad += EXPECT(n, k, "seg len", g.len, len);
	bad += EXPECT(n, k, "seg fin", g.fin, fin);
	bad += EXPECT(n, k, "seg flags", g.flags, flags);
	return bad;
}

static int
ack_step(struct snd_run *w, unsigned int k, const struct step *st)
{
	int sack = st->op == OP_SACK;
	struct sf_sack_blk blk = {
		.start = S0 + (st->x[1] & 0xffff),
		.end = S0 + (st->x[1] >> 16),
	};
	struct sf_tcp_snd_ack a = {
		.ack = S0 + st->x[0],
		.dup = !sack && (st->x[1] & A_DUP) != 0,
		.ts = !sack && (st->x[1] & (A_TS | A_TS0)) != 0,
		.tsecr = !sack && (st->x[1] & A_TS) ? w->now_ms - st->x[2] : 0,
		.sack_n = (uint8_t)sack,
		.sack = &blk,
	};
	struct sf_tcp_snd_res res;
	const char *n = w->r->name;
	int bad = 0;

	memset(&res, 0xa5, sizeof(res));
	sf_tcp_snd_ack(&w->s, &w->c, &w->pol, &a, w->now, w->now_ms, &res);
	bad += EXPECT(n, k, "acked", res.acked, st->x[3]);
	bad += EXPECT(n, k, "output", res.output, (st->v & R_OUT) != 0);
	bad += EXPECT(n, k, "fast", res.fast, (st->v & R_FAST) != 0);
	bad += EXPECT(n, k, "done", res.done, (st->v & R_DONE) != 0);
	bad += EXPECT(n, k, "fin_acked", res.fin_acked, (st->v & R_FIN) != 0);
	return bad;
}

static int
snd_step(struct snd_run *w, unsigned int k, const struct step *st)
{
	const char *n = w->r->name;
	struct sf_tcp_seg g;
	unsigned int i;
	int bad = 0;

	switch (st->op) {
	case OP_AT:
		w->now = T0 + st->v;
		w->now_ms = MS0 + (uint32_t)(st->v / MS(1));
		return 0;
	case OP_QUEUE:
		return EXPECT(n, k, "queue", sf_tcp_snd_queue(&w->s, st->x[0]),
			      -(int)st->x[1]);
	case OP_CLOSE:
		return EXPECT(n, k, "close", sf_tcp_close(&w->c, &w->s),
			      -(int)st->x[0]);
	case OP_WND:
		w->c.snd_wnd = st->x[0];
		return 0;
	case OP_SEG:
		return seg_check(w, k, st->x[0], st->x[1], st->x[2], st->x[3]);
	case OP_SEGS:
		for (i = 0; i < st->x[2]; i++)
			bad += seg_check(w, k, st->x[0] + i * st->x[1],
					 st->x[1], 0, st->x[3]);
		return bad;
	case OP_NOSEG:
		return EXPECT(n, k, "no segment",
			      sf_tcp_snd_next(&w->s, &w->c, &w->pol, 65535,
					      w->now, &g), 0);
	case OP_ACK:
	case OP_SACK:
		return ack_step(w, k, st);
	case OP_FIRE:
		return EXPECT(n, k, "fire",
			      sf_tcp_snd_timer(&w->s, &w->c, &w->pol, w->now),
			      st->x[0]);
	case OP_EQ:
		return EXPECT(n, k, field_name[st->f],
			      field_get(&w->s, &w->c, st->f), st->v);
	case OP_SET:
		field_set(&w->s, st->f, st->v);
		return 0;
	}
	return EXPECT(n, k, "op", st->op, 0);
}

static int
snd_row_run(const struct snd_row *r)
{
	struct snd_run w = { .r = r, .now = T0, .now_ms = MS0 };
	unsigned int k;
	int bad = 0;

	policy_of(&w.pol, r->retries);
	if (r->no_min)
		w.pol.rto_min_tsc = 0;
	w.c.state = r->state != 0 ? r->state : SF_CONN_ESTABLISHED;
	w.c.flags = SF_TCP_CONN_F_REPLY | ((r->ts & TS) ? SF_CONN_F_TS : 0) |
		((r->ts & SACK_ON) ? SF_CONN_F_SACK : 0);
	w.c.mss = r->mss;
	w.c.server_isn = SI;
	w.c.snd_nxt = S0;
	w.c.snd_wnd = r->wnd;
	sf_tcp_snd_init(&w.s, &w.c, &w.pol);
	for (k = 0; k < STEPS_MAX && r->s[k].op != OP_END; k++)
		bad += snd_step(&w, k, &r->s[k]);
	return bad;
}

static void
test_snd_scripts(void **state)
{
	unsigned int i;
	int bad = 0;

	(void)state;
	for (i = 0; i < RTE_DIM(snd_rows); i++)
		bad += snd_row_run(&snd_rows[i]);
	assert_int_equal(bad, 0);
}

/* sf_tcp_policy_clock() and sf_tcp_snd_mss(). */
static void
test_snd_policy_mss(void **state)
{
	struct sf_tcp_policy pol;
	struct sf_conn c;

	(void)state;
	policy_of(&pol, 8);
	assert_int_equal(pol.tsc_per_ms, MS(1));
	assert_int_equal(pol.rto_init_tsc, MS(1000));
	assert_int_equal(pol.rto_min_tsc, MS(200));
	assert_int_equal(pol.rto_max_tsc, MS(60000));
	memset(&c, 0, sizeof(c));
	c.mss = 1460;
	assert_int_equal(sf_tcp_snd_mss(&c), 1460);
	c.flags = SF_CONN_F_TS;
	assert_int_equal(sf_tcp_snd_mss(&c), 1448);
	c.mss = 12;
	assert_int_equal(sf_tcp_snd_mss(&c), 1);
}

/* ------------------------------------------------------------------ */
/* sf_tcp_input() with the reply channel                               */

#define RN	UINT32_C(0x00200000)	/* RCV.NXT */
#define SN	S0			/* SND.NXT before we sent anything */
#define MSS	1460
#define W	65535			/* the segment's window field */
#define SENT	3000			/* bytes sent (rows with a send state) */
#define CR	10000			/* credit of most rows */

#define EST	SF_CONN_ESTABLISHED
#define CW	SF_CONN_CLOSE_WAIT
#define FW1	SF_CONN_FIN_WAIT_1
#define FW2	SF_CONN_FIN_WAIT_2
#define CLG	SF_CONN_CLOSING
#define LA	SF_CONN_LAST_ACK

#define T_ACK	SF_TCP_ACK
#define T_FA	(SF_TCP_FIN | SF_TCP_ACK)
#define EV_D	SF_TCP_EV_DATA
#define EV_F	SF_TCP_EV_FIN
#define EV_C	SF_TCP_EV_CLOSED
#define RE_ACK	SF_TCP_RE_ACK
#define RE_CHAL	SF_TCP_RE_CHALLENGE
#define N_OOW	SF_TCP_N_OUT_OF_WINDOW
#define N_UNX	SF_TCP_N_UNEXPECTED
#define N_ACK	SF_TCP_N_ACK
#define N_CLOSE	SF_TCP_N_CLOSED
#define N_DUP	SF_TCP_N_DUP_DATA
#define N_KA	SF_TCP_N_KEEPALIVE

/* The send state of a row. */
#define NO_SND	0	/* none (snd NULL); SND.NXT = SN + sent (+ 1 with fin) */
#define SND	1	/* sent bytes sent, none acknowledged */

struct chan_row {
	const char *name;
	/* the entry and its send state */
	uint8_t state;
	uint32_t credit;
	uint8_t snd;		/* NO_SND, SND */
	uint32_t sent;		/* bytes we sent */
	uint8_t fin;		/* and our FIN */
	/* the segment: SEG.SEQ = RN + seq, SEG.ACK = SN + ack */
	uint8_t flags;
	int32_t seq;
	uint32_t ack;
	uint16_t len;
	unsigned int room;
	/* expected */
	uint8_t events, reply, note, remove, lost;
	uint16_t data_len;
	uint32_t acked;
	uint8_t snd_done;
	uint8_t next_state;
	uint32_t next_rcv;	/* RCV.NXT - RN */
	uint32_t next_credit;
};

static const struct chan_row chan_rows[] = {
	/* -- receive credit */
	{ "EST: data within the credit: DATA, credit consumed",
	  EST, CR, NO_SND, 0, 0, T_ACK, 0, 0, 1000, 1,
	  EV_D, RE_ACK, 0, 0, 0, 1000, 0, 0, EST, 1000, CR - 1000 },
	{ "EST: data beyond the credit edge: trimmed to it",
	  EST, 600, NO_SND, 0, 0, T_ACK, 0, 0, 1000, 1,
	  EV_D, RE_ACK, 0, 0, 0, 600, 0, 0, EST, 600, 0 },
	{ "EST: old and new bytes: the new ones, credit for them only",
	  EST, CR, NO_SND, 0, 0, T_ACK, -100, 0, 300, 1,
	  EV_D, RE_ACK, 0, 0, 0, 200, 0, 0, EST, 200, CR - 200 },
	{ "EST: no credit: data at RCV.NXT answered with our window",
	  EST, 0, NO_SND, 0, 0, T_ACK, 0, 0, 1000, 1,
	  0, RE_ACK, N_OOW, 0, 0, 0, 0, 0, EST, 0, 0 },
	{ "EST: no credit: pure ACK at RCV.NXT taken",
	  EST, 0, NO_SND, 0, 0, T_ACK, 0, 0, 0, 0,
	  0, 0, N_ACK, 0, 0, 0, 0, 0, EST, 0, 0 },
	{ "EST: no credit: FIN taken (no data)",
	  EST, 0, NO_SND, 0, 0, T_FA, 0, 0, 0, 1,
	  EV_F, RE_ACK, 0, 0, 0, 0, 0, 0, CW, 1, 0 },
	{ "EST: data + FIN beyond the credit: FIN not taken",
	  EST, 600, NO_SND, 0, 0, T_FA, 0, 0, 1000, 2,
	  EV_D, RE_ACK, 0, 0, 0, 600, 0, 0, EST, 600, 0 },
	{ "EST: a segment at the credit edge: out of window",
	  EST, 600, NO_SND, 0, 0, T_ACK, 600, 0, 10, 1,
	  0, RE_ACK, N_OOW, 0, 0, 0, 0, 0, EST, 0, 600 },
	{ "EST: data after a hole: duplicate ACK, nothing taken",
	  EST, CR, NO_SND, 0, 0, T_ACK, 10, 0, 10, 1,
	  0, RE_ACK, N_OOW, 0, 0, 0, 0, 0, EST, 0, CR },
	/* -- the client's FIN */
	{ "EST: client FIN: ACK (our FIN waits), FIN event, CLOSE_WAIT",
	  EST, CR, NO_SND, 0, 0, T_FA, 0, 0, 0, 1,
	  EV_F, RE_ACK, 0, 0, 0, 0, 0, 0, CW, 1, CR },
	{ "EST: data + FIN: DATA and FIN events, CLOSE_WAIT",
	  EST, CR, NO_SND, 0, 0, T_FA, 0, 0, 100, 2,
	  EV_D | EV_F, RE_ACK, 0, 0, 0, 100, 0, 0, CW, 101, CR - 100 },
	{ "EST: client FIN, ring full: not ACKed",
	  EST, CR, NO_SND, 0, 0, T_FA, 0, 0, 0, 0,
	  0, 0, 0, 0, 1, 0, 0, 0, EST, 0, CR },
	{ "CLOSE_WAIT: data after the FIN: unexpected",
	  CW, CR, NO_SND, 0, 0, T_ACK, 0, 0, 10, 1,
	  0, 0, N_UNX, 0, 0, 0, 0, 0, CW, 0, CR },
	{ "CLOSE_WAIT: the FIN again (our ACK lost): ACKed",
	  CW, CR, NO_SND, 0, 0, T_FA, -1, 0, 0, 1,
	  0, RE_ACK, N_DUP, 0, 0, 0, 0, 0, CW, 0, CR },
	{ "CLOSE_WAIT with a send state: ACK of our data",
	  CW, CR, SND, SENT, 0, T_ACK, 0, 1000, 0, 0,
	  0, 0, N_ACK, 0, 0, 0, 1000, 0, CW, 0, CR },
	/* -- ACKs of our data */
	{ "EST: ACK of some of our data",
	  EST, CR, SND, SENT, 0, T_ACK, 0, 1000, 0, 0,
	  0, 0, N_ACK, 0, 0, 0, 1000, 0, EST, 0, CR },
	{ "EST: ACK of all our data: the send state is done",
	  EST, CR, SND, SENT, 0, T_ACK, 0, SENT, 0, 0,
	  0, 0, N_ACK, 0, 0, 0, SENT, 1, EST, 0, CR },
	{ "EST: ACK beyond SND.MAX: challenge ACK",
	  EST, CR, SND, SENT, 0, T_ACK, 0, SENT + 1, 0, 0,
	  0, RE_CHAL, N_OOW, 0, 0, 0, 0, 0, EST, 0, CR },
	{ "EST: ACK before our ISN: challenge ACK, data not taken",
	  EST, CR, SND, SENT, 0, T_ACK, 0, (uint32_t)-5, 10, 1,
	  0, RE_CHAL, N_OOW, 0, 0, 0, 0, 0, EST, 0, CR },
	{ "EST: data and an ACK of all ours",
	  EST, CR, SND, SENT, 0, T_ACK, 0, SENT, 100, 1,
	  EV_D, RE_ACK, 0, 0, 0, 100, SENT, 1, EST, 100, CR - 100 },
	/* -- our FIN: FIN_WAIT_1, FIN_WAIT_2, CLOSING */
	{ "FIN_WAIT_1: ACK of the data only: stays",
	  FW1, CR, SND, SENT, 1, T_ACK, 0, SENT, 0, 1,
	  0, 0, N_ACK, 0, 0, 0, SENT, 0, FW1, 0, CR },
	{ "FIN_WAIT_1: ACK of our FIN: FIN_WAIT_2, send state done",
	  FW1, CR, SND, SENT, 1, T_ACK, 0, SENT + 1, 0, 1,
	  0, 0, N_ACK, 0, 0, 0, SENT, 1, FW2, 0, CR },
	{ "FIN_WAIT_1: data: DATA",
	  FW1, CR, SND, SENT, 1, T_ACK, 0, 0, 10, 1,
	  EV_D, RE_ACK, 0, 0, 0, 10, 0, 0, FW1, 10, CR - 10 },
	{ "FIN_WAIT_1: client FIN: FIN event, ACK, CLOSING",
	  FW1, CR, SND, SENT, 1, T_FA, 0, SENT, 0, 2,
	  EV_F, RE_ACK, 0, 0, 0, 0, SENT, 0, CLG, 1, CR },
	{ "FIN_WAIT_1: client FIN + ACK of ours: FIN, CLOSED, removed",
	  FW1, CR, SND, SENT, 1, T_FA, 0, SENT + 1, 0, 2,
	  EV_F | EV_C, RE_ACK, N_CLOSE, 1, 0, 0, SENT, 1, FW2, 1, CR },
	{ "FIN_WAIT_1: client FIN + ACK of ours, room for one: FIN lost",
	  FW1, CR, SND, SENT, 1, T_FA, 0, SENT + 1, 0, 1,
	  0, 0, 0, 0, 1, 0, SENT, 1, FW2, 0, CR },
	{ "FIN_WAIT_1: keepalive: ACKed (client still open)",
	  FW1, CR, SND, SENT, 1, T_ACK, -1, 0, 0, 1,
	  0, RE_ACK, N_KA, 0, 0, 0, 0, 0, FW1, 0, CR },
	{ "FIN_WAIT_2: data: DATA",
	  FW2, CR, NO_SND, SENT, 1, T_ACK, 0, SENT + 1, 10, 1,
	  EV_D, RE_ACK, 0, 0, 0, 10, 0, 0, FW2, 10, CR - 10 },
	{ "FIN_WAIT_2: client FIN: ACK, FIN and CLOSED events, removed",
	  FW2, CR, NO_SND, SENT, 1, T_FA, 0, SENT + 1, 0, 2,
	  EV_F | EV_C, RE_ACK, N_CLOSE, 1, 0, 0, 0, 0, FW2, 1, CR },
	{ "FIN_WAIT_2: data + FIN: DATA, FIN, CLOSED",
	  FW2, CR, NO_SND, SENT, 1, T_FA, 0, SENT + 1, 5, 3,
	  EV_D | EV_F | EV_C, RE_ACK, N_CLOSE, 1, 0, 5, 0, 0, FW2, 6,
	  CR - 5 },
	{ "FIN_WAIT_2: client FIN, room for one: not ACKed",
	  FW2, CR, NO_SND, SENT, 1, T_FA, 0, SENT + 1, 0, 1,
	  0, 0, 0, 0, 1, 0, 0, 0, FW2, 0, CR },
	{ "CLOSING: ACK of our FIN: CLOSED event, removed",
	  CLG, CR, SND, SENT, 1, T_ACK, 0, SENT + 1, 0, 1,
	  EV_C, 0, N_CLOSE, 1, 0, 0, SENT, 1, CLG, 0, CR },
	{ "CLOSING: ACK of our FIN, ring full: FIN taken as unacked",
	  CLG, CR, SND, SENT, 1, T_ACK, 0, SENT + 1, 0, 0,
	  0, 0, N_ACK, 0, 1, 0, SENT, 0, CLG, 0, CR },
	/* -- LAST_ACK (CLOSE after the client's FIN) */
	{ "LAST_ACK: ACK of our FIN: CLOSED event, removed",
	  LA, CR, SND, SENT, 1, T_ACK, 0, SENT + 1, 0, 1,
	  EV_C, 0, N_CLOSE, 1, 0, 0, SENT, 1, LA, 0, CR },
	{ "LAST_ACK: ACK of the data only: stays",
	  LA, CR, SND, SENT, 1, T_ACK, 0, SENT, 0, 1,
	  0, 0, N_ACK, 0, 0, 0, SENT, 0, LA, 0, CR },
	{ "LAST_ACK: the client's FIN again: ACK, not our FIN|ACK",
	  LA, CR, SND, SENT, 1, T_FA, -1, 0, 0, 1,
	  0, RE_ACK, N_DUP, 0, 0, 0, 0, 0, LA, 0, CR },
	{ "LAST_ACK: data: unexpected",
	  LA, CR, SND, SENT, 1, T_ACK, 0, 0, 10, 1,
	  0, 0, N_UNX, 0, 0, 0, 0, 0, LA, 0, CR },
};

/* The entry and send state of a row: @p sent bytes (and FIN) sent. */
static void
chan_setup(const struct chan_row *r, const struct sf_tcp_policy *pol,
	   struct sf_conn *c, struct sf_tcp_snd *s)
{
	struct sf_tcp_seg g;

	memset(c, 0, sizeof(*c));
	c->state = EST;
	c->flags = SF_TCP_CONN_F_REPLY;
	c->mss = MSS;
	c->client_isn = RN - 100;
	c->server_isn = SI;
	c->rcv_nxt = RN;
	c->snd_nxt = SN;
	c->snd_wnd = W;
	c->snd_wl1 = RN - 0x10000;
	c->snd_wl2 = SN;
	c->credit = r->credit;
	sf_tcp_snd_init(s, c, pol);
	s->cwnd = UINT32_MAX >> 2;
	sf_tcp_snd_queue(s, r->sent);
	if (r->fin)
		sf_tcp_close(c, s);
	while (sf_tcp_snd_next(s, c, pol, MSS, T0, &g) == 1)
		;
	c->state = r->state;
}

/* A segment from the client (window W, no window scale option). */
static void
chan_seg(struct sf_pkt *p, uint8_t flags, uint32_t seq, uint32_t ack,
	 uint16_t len)
{
	memset(p, 0, sizeof(*p));
	p->kind = SF_PKT_TCP;
	p->tcp_flags = flags;
	p->seq = seq;
	p->ack = ack;
	p->payload_len = len;
	p->window = W;
	p->opts.wscale = SF_WSCALE_NONE;
}

static int
chan_row_check(const struct chan_row *r)
{
	const char *n = r->name;
	struct sf_tcp_policy pol;
	struct sf_tcp_action a;
	struct sf_tcp_snd s;
	struct sf_conn c;
	struct sf_pkt p;
	int bad = 0;

	policy_of(&pol, 8);
	chan_setup(r, &pol, &c, &s);
	bad += EXPECT(n, 0, "snd_nxt after sending", c.snd_nxt,
		      SN + r->sent + r->fin);
	chan_seg(&p, r->flags, RN + (uint32_t)r->seq, SN + r->ack, r->len);
	p.flow.family = SF_AF_INET;
	memset(&a, 0xa5, sizeof(a));	/* every field must be written */
	sf_tcp_input(&c, r->snd == SND ? &s : NULL, &p, &pol, r->room,
		     T0 + MS(1), MS0 + 1, &a);
	bad += EXPECT(n, 0, "events", a.events, r->events);
	bad += EXPECT(n, 0, "reply", a.reply, r->reply);
	if (r->reply != 0)
		bad += EXPECT(n, 0, "reply_seq", a.reply_seq, c.snd_nxt);
	bad += EXPECT(n, 0, "note", a.note, r->note);
	bad += EXPECT(n, 0, "remove", a.remove, r->remove);
	bad += EXPECT(n, 0, "lost", a.lost, r->lost);
	bad += EXPECT(n, 0, "data_len", a.data_len, r->data_len);
	bad += EXPECT(n, 0, "acked", a.acked, r->acked);
	bad += EXPECT(n, 0, "snd_done", a.snd_done, r->snd_done);
	bad += EXPECT(n, 0, "output", a.output, 0);
	bad += EXPECT(n, 0, "next state", c.state, r->next_state);
	bad += EXPECT(n, 0, "next rcv_nxt - RN", c.rcv_nxt - RN, r->next_rcv);
	bad += EXPECT(n, 0, "next credit", c.credit, r->next_credit);
	bad += EXPECT(n, 0, "snd_nxt kept", c.snd_nxt,
		      SN + r->sent + r->fin);
	return bad;
}

static void
test_chan_input_table(void **state)
{
	unsigned int i;
	int bad = 0;

	(void)state;
	for (i = 0; i < RTE_DIM(chan_rows); i++)
		bad += chan_row_check(&chan_rows[i]);
	assert_int_equal(bad, 0);
}

/*
 * Data queued behind a window the client opens in a segment: the ACK
 * asks for output, a send state is used end to end with sf_tcp_input().
 */
static void
test_chan_window_opens(void **state)
{
	static const struct chan_row r = { "window opens", EST, CR, SND, 0 };
	struct sf_tcp_policy pol;
	struct sf_tcp_action a;
	struct sf_tcp_seg g;
	struct sf_tcp_snd s;
	struct sf_conn c;
	struct sf_pkt p;

	(void)state;
	policy_of(&pol, 8);
	chan_setup(&r, &pol, &c, &s);
	c.snd_wnd = 0;
	assert_int_equal(sf_tcp_snd_queue(&s, 500), 0);
	assert_int_equal(sf_tcp_snd_next(&s, &c, &pol, MSS, T0, &g), 0);
	assert_int_equal(s.timer, SF_TCP_TIMER_PERSIST);
	chan_seg(&p, SF_TCP_ACK, RN, SN, 0);
	p.window = 1000;
	sf_tcp_input(&c, &s, &p, &pol, 0, T0 + 1, MS0, &a);
	assert_int_equal(c.snd_wnd, 1000);
	assert_int_equal(a.output, 1);
	assert_int_equal(s.timer, SF_TCP_TIMER_NONE);
	assert_int_equal(sf_tcp_snd_next(&s, &c, &pol, MSS, T0 + 1, &g), 1);
	assert_int_equal(g.seq, SN);
	assert_int_equal(g.len, 500);
	assert_int_equal(c.snd_nxt, SN + 500);
}

/*
 * An ACK below SND.UNA (reordered) is old: ignored for the send state,
 * its data still taken (RFC 9293 3.10.7.4: "If the ACK is a duplicate,
 * it can be ignored").
 */
static void
test_chan_old_ack(void **state)
{
	static const struct chan_row r = { "old ACK", EST, CR, SND, SENT };
	struct sf_tcp_policy pol;
	struct sf_tcp_action a;
	struct sf_tcp_snd s;
	struct sf_conn c;
	struct sf_pkt p;

	(void)state;
	policy_of(&pol, 8);
	chan_setup(&r, &pol, &c, &s);
	chan_seg(&p, T_ACK, RN, SN + 2000, 0);
	sf_tcp_input(&c, &s, &p, &pol, 0, T0 + 1, MS0, &a);
	assert_int_equal(a.acked, 2000);
	chan_seg(&p, T_ACK, RN, SN + 1000, 10);
	sf_tcp_input(&c, &s, &p, &pol, 1, T0 + 2, MS0, &a);
	assert_int_equal(a.reply, SF_TCP_RE_ACK);
	assert_int_equal(a.events, SF_TCP_EV_DATA);
	assert_int_equal(a.data_len, 10);
	assert_int_equal(a.acked, 0);
	assert_int_equal(s.una, SN + 2000);
	assert_int_equal(s.dupacks, 0);
}

/*
 * CLOSING, the ACK of our FIN comes while the ring is full: the FIN is
 * taken as unacknowledged, its timer resends it, and the client's next
 * ACK (from TIME_WAIT) closes with the CLOSED event.
 */
static void
test_chan_closing_retry(void **state)
{
	static const struct chan_row r = { "retry", CLG, CR, SND, 0, 1 };
	struct sf_tcp_policy pol;
	struct sf_tcp_action a;
	struct sf_tcp_seg g;
	struct sf_tcp_snd s;
	struct sf_conn c;
	struct sf_pkt p;
	uint64_t due;

	(void)state;
	policy_of(&pol, 8);
	chan_setup(&r, &pol, &c, &s);
	chan_seg(&p, T_ACK, RN, SN + 1, 0);
	sf_tcp_input(&c, &s, &p, &pol, 0, T0 + 1, MS0, &a);
	assert_int_equal(a.lost, 1);
	assert_int_equal(a.remove, 0);
	assert_int_equal(c.state, CLG);
	assert_int_equal(s.una, SN);
	due = sf_tcp_snd_due(&s);
	assert_int_equal(due, T0 + MS(1000));
	assert_int_equal(sf_tcp_snd_timer(&s, &c, &pol, due),
			 SF_TCP_FIRE_RETRANSMIT);
	assert_int_equal(sf_tcp_snd_next(&s, &c, &pol, MSS, due, &g), 1);
	assert_int_equal(g.seq, SN);
	assert_int_equal(g.len, 0);
	assert_int_equal(g.fin, 1);
	assert_int_equal(g.flags, SF_TCP_SEG_REXMIT);
	sf_tcp_input(&c, &s, &p, &pol, 1, due + 1, MS0, &a);
	assert_int_equal(a.events, SF_TCP_EV_CLOSED);
	assert_int_equal(a.remove, 1);
	assert_int_equal(a.snd_done, 1);
}

/* ------------------------------------------------------------------ */
/* Credit: sf_tcp_credit(), sf_tcp_rcv_window()                        */

struct credit_row {
	const char *name;
	uint8_t ws;		/* our shift, 0xff: scaling off */
	uint16_t pol_window;
	uint32_t credit;	/* before */
	uint32_t n;		/* given back */
	int want;		/* a window update is due */
	uint32_t next_credit;
	uint16_t field;		/* the window field after */
};

static const struct credit_row credit_rows[] = {
	{ "from zero to one MSS: update", 0xff, 65535, 0, MSS, 1, MSS, MSS },
	{ "from zero to below one MSS: none", 0xff, 65535, 0, 100, 0, 100,
	  100 },
	{ "from below to above one MSS: update", 0xff, 65535, 1000, 1000, 1,
	  2000, 2000 },
	{ "above one MSS, a little more: none", 0xff, 65535, 5000, 1000, 0,
	  6000, 6000 },
	{ "half the initial credit at once: update", 7, 65535, 100000,
	  131072, 1, 231072, 231072 >> 7 },
	{ "field capped by the policy window, unscaled", 0xff, 65535, 60000,
	  100000, 0, 160000, 65535 },
	{ "field capped by the policy window, scaled", 2, 1000, 0, 100000, 1,
	  100000, 1000 },
	{ "scaled: below one unit shows as zero: none", 7, 65535, 0, 100, 0,
	  100, 0 },
	{ "scaled: rounded down below one MSS: none", 7, 65535, 0, 1500, 0,
	  1500, 11 },
	{ "scaled: rounded down, above one MSS: update", 7, 65535, 0, 3000,
	  1, 3000, 23 },
	{ "credit saturates", 0xff, 65535, UINT32_MAX - 10, 100, 0,
	  UINT32_MAX, 65535 },
};

static void
test_credit_table(void **state)
{
	struct sf_tcp_policy pol;
	struct sf_conn c;
	unsigned int i;
	int bad = 0;

	(void)state;
	for (i = 0; i < RTE_DIM(credit_rows); i++) {
		const struct credit_row *r = &credit_rows[i];

		policy_of(&pol, 8);
		pol.window = r->pol_window;
		memset(&c, 0, sizeof(c));
		c.flags = SF_TCP_CONN_F_REPLY;
		c.mss = MSS;
		if (r->ws != 0xff) {
			c.flags |= SF_TCP_CONN_F_WS;
			c.rcv_wscale = r->ws;
		}
		c.credit = r->credit;
		bad += EXPECT(r->name, 0, "update",
			      sf_tcp_credit(&c, &pol, r->n), r->want);
		bad += EXPECT(r->name, 0, "credit", c.credit, r->next_credit);
		bad += EXPECT(r->name, 0, "window field",
			      sf_tcp_rcv_window(&c, &pol), r->field);
	}
	/* Without the reply channel: the policy's window, whatever credit. */
	c.flags = 0;
	c.credit = 0;
	bad += EXPECT("reply off", 0, "window field",
		      sf_tcp_rcv_window(&c, &pol), pol.window);
	assert_int_equal(bad, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_snd_policy_mss),
		cmocka_unit_test(test_snd_scripts),
		cmocka_unit_test(test_chan_input_table),
		cmocka_unit_test(test_chan_window_opens),
		cmocka_unit_test(test_chan_old_ack),
		cmocka_unit_test(test_chan_closing_retry),
		cmocka_unit_test(test_credit_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
