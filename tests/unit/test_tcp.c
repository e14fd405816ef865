/* SPDX-License-Identifier: BSD-3-Clause */

/*
 * Unit tests of lib/tcp, as tables: no mbufs, no rings, no EAL.
 *
 *   sf_tcp_input()       (entry, segment, policy, ring room)
 *                        -> (action, next entry)
 *   sf_tcp_accept()      (the handshake's SYN options, ACK) -> new entry
 *   sf_tcp_reply_fill()  (entry, seq, flags, clock) -> reply segment
 *   sf_tcp_may_queue()   (flags, payload) -> may need events
 *
 * The sf_tcp_input() rows mirror the established-flow scenarios of
 * test_respond.c and the established-flow rows of DESIGN.md's wire
 * contract, rule by rule: RFC 9293 3.10.7.4, RFC 5961 sections 3 to 5,
 * RFC 7323 3.2, 4.3 and 5. Rows say, besides the action and the next
 * entry, whether the segment refreshes the idle time (NEXT) or not (NEXTS)
 * and whether its reply is one an off-path sender can call for, limited
 * per flow (LIM, and every challenge ACK): each row runs again with the
 * flow's last such reply one tick ago, and those replies must then be
 * withheld.
 *
 * Every row is checked field by field; a mismatch prints the row's name
 * and the field, and every row runs before the test fails.
 */

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
#include "sf_cookie.h"
#include "sf_net.h"
#include "sf_tcp.h"

/* ------------------------------------------------------------------ */
/* Checking                                                            */

/** One field of one row: 0 when it matches, else printed and 1. */
static int
expect(const char *row, const char *field, uint64_t got, uint64_t want)
{
	if (got == want)
		return 0;
	print_error("row \"%s\": %s = %" PRIu64 " (0x%" PRIx64
		    "), want %" PRIu64 " (0x%" PRIx64 ")\n",
		    row, field, got, got, want, want);
	return 1;
}

#define EXPECT(row, field, got, want) \
	expect((row), (field), (uint64_t)(got), (uint64_t)(want))

/* ------------------------------------------------------------------ */
/* sf_tcp_input(): the established-flow table                          */

#define NOW_TSC	UINT64_C(0x123456789a)	/* the segment's time */
#define IN_MS	UINT32_C(0x2000)	/* our TSval clock then */
#define OLD_TSC	UINT64_C(7)		/* last_tsc and chal_t before it */
/* TSC ticks of one sf_conn.chal_t unit. */
#define TU(x)	((uint64_t)(x) << SF_CONN_CHAL_SHIFT)
#define CHAL_T(tsc)	((uint32_t)((tsc) >> SF_CONN_CHAL_SHIFT))
#define GAP	TU(1000)		/* per-flow reply gap, TSC ticks */
#define RN	UINT32_C(0x00100000)	/* RCV.NXT */
#define CI	(RN - 1)		/* the client's ISN */
#define SI	UINT32_C(0xc0ffee00)	/* ISS: our ISN, the cookie */
#define SN	(SI + 1)		/* SND.NXT while ESTABLISHED */
#define MSS	1460
#define W0	UINT32_C(1000)		/* snd_wnd before the segment */
#define W	29200			/* the segment's window field */
#define TSR	UINT32_C(5000)		/* TS.Recent before the segment */
#define TSN	(TSR + 1000)		/* a newer TSval */
#define TSO	(TSR - 1000)		/* an older TSval */
#define WND	65535			/* our window field (policy) */
#define RWS	7			/* our shift (policy, rcv_wscale) */
#define SWS	2			/* the client's shift (snd_wscale) */

#define EST	SF_CONN_ESTABLISHED
#define LA	SF_CONN_LAST_ACK
#define RSET	SF_CONN_RESET
#define F_TS	SF_CONN_F_TS
#define F_WS	SF_TCP_CONN_F_WS

#define T_FIN	SF_TCP_FIN
#define T_SYN	SF_TCP_SYN
#define T_RST	SF_TCP_RST
#define T_PSH	SF_TCP_PSH
#define T_ACK	SF_TCP_ACK

#define RE_ACK	SF_TCP_RE_ACK
#define RE_FIN	SF_TCP_RE_FIN_ACK
#define RE_CHAL	SF_TCP_RE_CHALLENGE

#define EV_D	SF_TCP_EV_DATA
#define EV_F	SF_TCP_EV_FIN
#define EV_R	SF_TCP_EV_RST

#define N_RST	SF_TCP_N_RST
#define N_OOW	SF_TCP_N_OUT_OF_WINDOW
#define N_UNX	SF_TCP_N_UNEXPECTED
#define N_KA	SF_TCP_N_KEEPALIVE
#define N_CLOSE	SF_TCP_N_CLOSED
#define N_ACK	SF_TCP_N_ACK
#define N_DUP	SF_TCP_N_DUP_DATA
#define N_PAWS	SF_TCP_N_PAWS
#define N_TSM	SF_TCP_N_TS_MISSING
#define N_ARST	SF_TCP_N_AFTER_RST

/** The entry's fields that matter (the others: client_isn CI, mss MSS). */
struct row_conn {
	uint8_t state;
	uint8_t flags;
	uint8_t snd_wscale;
	uint8_t rcv_wscale;
	uint32_t rcv_nxt;
	uint32_t server_isn;
	uint32_t snd_nxt;
	uint32_t ts_recent;
};

/** The segment's fields that matter. */
struct row_seg {
	uint8_t flags;
	uint32_t seq;
	uint32_t ack;
	uint16_t len;
	uint16_t win;
	uint8_t ts_ok;
	uint32_t tsval;
};

/** The entry after the segment. */
struct row_next {
	uint32_t rcv_nxt;
	uint32_t snd_nxt;
	uint8_t state;
	uint32_t snd_wnd;
	uint32_t ts_recent;
	uint8_t stale;		/* 1: last_tsc kept (segment not acceptable) */
};

struct tcp_row {
	const char *name;
	struct row_conn c;
	struct row_seg s;
	struct sf_tcp_policy pol;
	unsigned int room;
	struct sf_tcp_action a;		/* expected, every field */
	struct row_next n;
	uint8_t lim;			/* an RE_ACK reply limited per flow */
};

#define LIM	1

/* Entries: state, flags, RCV.NXT, ISS, SND.NXT, shifts, TS.Recent. */
#define CONN(st_, fl_, rn_, iss_, sn_, sws_, rws_, tsr_) \
	{ .state = (st_), .flags = (fl_), .rcv_nxt = (rn_), \
	  .server_isn = (iss_), .snd_nxt = (sn_), .snd_wscale = (sws_), \
	  .rcv_wscale = (rws_), .ts_recent = (tsr_) }
#define C_EST		CONN(EST, F_TS, RN, SI, SN, 0, 0, TSR)
#define C_NOTS		CONN(EST, 0, RN, SI, SN, 0, 0, 0)
#define C_WS		CONN(EST, F_TS | F_WS, RN, SI, SN, SWS, RWS, TSR)
/* Shifts recorded, scaling not negotiated: both must be ignored. */
#define C_WSOFF		CONN(EST, F_TS, RN, SI, SN, SWS, RWS, TSR)
/* LAST_ACK: the client's FIN took RN, ours took SN. */
#define C_LA		CONN(LA, F_TS, RN + 1, SI, SN + 1, 0, 0, TSR)

/* Segments: flags, SEG.SEQ, SEG.ACK, payload length, window, TSopt. */
#define SEGX(fl_, q_, a_, l_, w_, t_, v_) \
	{ .flags = (fl_), .seq = (q_), .ack = (a_), .len = (l_), \
	  .win = (w_), .ts_ok = (t_), .tsval = (v_) }
#define SEGT(fl_, q_, a_, l_, t_, v_)	SEGX(fl_, q_, a_, l_, W, t_, v_)
/* The common case: window W, a newer TSval. */
#define SEG(fl_, q_, a_, l_)		SEGT(fl_, q_, a_, l_, 1, TSN)

#define POL	{ .window = WND, .wscale = RWS, .chal_gap_tsc = GAP }
/* A small window (100 bytes, C_EST does not scale): trimming. */
#define SW	100
#define POLW	{ .window = SW, .wscale = RWS, .chal_gap_tsc = GAP }

/* Actions. */
#define A_NOTE(n_)	{ .note = (n_) }
#define A_ACK(q_, n_)	{ .reply = RE_ACK, .reply_seq = (q_), .note = (n_) }
#define A_CHAL(q_, n_)	{ .reply = RE_CHAL, .reply_seq = (q_), .note = (n_) }

/*
 * Next entry: RCV.NXT, SND.NXT, state, snd_wnd, TS.Recent; NEXT for an
 * acceptable segment (last_tsc = NOW_TSC), NEXTS for one that is not
 * (last_tsc kept).
 */
#define NEXT(rn_, sn_, st_, wnd_, tsr_) \
	{ .rcv_nxt = (rn_), .snd_nxt = (sn_), .state = (st_), \
	  .snd_wnd = (wnd_), .ts_recent = (tsr_) }
#define NEXTS(rn_, sn_, st_, wnd_, tsr_) \
	{ .rcv_nxt = (rn_), .snd_nxt = (sn_), .state = (st_), \
	  .snd_wnd = (wnd_), .ts_recent = (tsr_), .stale = 1 }
/* Unchanged (RST, SYN, unacceptable ACK, no ACK bit). */
#define N_EST		NEXTS(RN, SN, EST, W0, TSR)
#define N_LA		NEXTS(RN + 1, SN + 1, LA, W0, TSR)
/* Unchanged but for the idle time (RST at RCV.NXT). */
#define N_ESTR		NEXT(RN, SN, EST, W0, TSR)
#define N_LAR		NEXT(RN + 1, SN + 1, LA, W0, TSR)
/* Old, beyond the window, PAWS: ACKed, nothing taken. */
#define N_OLD		NEXTS(RN, SN, EST, W0, TSR)
#define N_LAOLD		NEXTS(RN + 1, SN + 1, LA, W0, TSR)
/* An entry whose RST event is pending. */
#define C_RST		CONN(RSET, F_TS, RN, SI, SN, 0, 0, TSR)
#define N_RSET		NEXTS(RN, SN, RSET, W0, TSR)

static const struct tcp_row tcp_rows[] = {
	/* -- RST, RFC 5961 section 3.2 (DESIGN: RST on an ESTABLISHED flow) */
	{ "RST at RCV.NXT: RST event, removed",
	  C_EST, SEG(T_RST, RN, 0, 0), POL, 1,
	  { .events = EV_R, .note = N_RST, .remove = 1 }, N_ESTR },
	{ "RST|ACK at RCV.NXT: RST event, removed",
	  C_EST, SEG(T_RST | T_ACK, RN, SN, 0), POL, 1,
	  { .events = EV_R, .note = N_RST, .remove = 1 }, N_ESTR },
	/*
	 * Ring full: the entry stays, RESET, until its RST event is queued
	 * (the consumer, which had the ESTABLISHED event, must hear of the
	 * end); the event not queued is counted (handoff_full).
	 */
	{ "RST at RCV.NXT, ring full: kept RESET, event lost for now",
	  C_EST, SEG(T_RST, RN, 0, 0), POL, 0,
	  { .lost = 1, .note = N_RST }, NEXT(RN, SN, RSET, W0, TSR) },
	{ "RST in LAST_ACK at RCV.NXT, ring full: kept RESET",
	  C_LA, SEG(T_RST, RN + 1, 0, 0), POL, 0,
	  { .lost = 1, .note = N_RST },
	  NEXT(RN + 1, SN + 1, RSET, W0, TSR) },
	{ "RST|SYN at RCV.NXT: the RST is decided first",
	  C_EST, SEG(T_RST | T_SYN, RN, 0, 0), POL, 1,
	  { .events = EV_R, .note = N_RST, .remove = 1 }, N_ESTR },
	/* RFC 7323 3.2 and 5.3 R1 exempt RSTs from TSopt and PAWS. */
	{ "RST at RCV.NXT without TSopt on a timestamp flow: taken",
	  C_EST, SEGT(T_RST, RN, 0, 0, 0, 0), POL, 1,
	  { .events = EV_R, .note = N_RST, .remove = 1 }, N_ESTR },
	{ "RST at RCV.NXT with an older TSval: taken (no PAWS)",
	  C_EST, SEGT(T_RST, RN, 0, 0, 1, TSO), POL, 1,
	  { .events = EV_R, .note = N_RST, .remove = 1 }, N_ESTR },
	{ "RST at RCV.NXT+1: challenge ACK",
	  C_EST, SEG(T_RST, RN + 1, 0, 0), POL, 1,
	  A_CHAL(SN, SF_TCP_N_NONE), N_EST },
	{ "RST at RCV.NXT+WND-1 (last in window): challenge ACK",
	  C_EST, SEG(T_RST, RN + WND - 1, 0, 0), POL, 1,
	  A_CHAL(SN, SF_TCP_N_NONE), N_EST },
	{ "RST at RCV.NXT+WND: out of window, dropped",
	  C_EST, SEG(T_RST, RN + WND, 0, 0), POL, 1,
	  A_NOTE(N_OOW), N_EST },
	{ "RST at RCV.NXT+70000: out of window, dropped",
	  C_EST, SEG(T_RST, RN + 70000, 0, 0), POL, 1,
	  A_NOTE(N_OOW), N_EST },
	{ "RST at RCV.NXT-1: below the window, dropped",
	  C_EST, SEG(T_RST, RN - 1, 0, 0), POL, 1,
	  A_NOTE(N_OOW), N_EST },
	{ "RST at RCV.NXT+2^31: dropped",
	  C_EST, SEG(T_RST, RN + UINT32_C(0x80000000), 0, 0), POL, 1,
	  A_NOTE(N_OOW), N_EST },
	{ "RST, wscale 7: RCV.NXT+WND is in window, challenge",
	  C_WS, SEG(T_RST, RN + WND, 0, 0), POL, 1,
	  A_CHAL(SN, SF_TCP_N_NONE), N_EST },
	{ "RST, wscale 7: RCV.NXT+(WND<<7)-1, challenge",
	  C_WS, SEG(T_RST, RN + ((uint32_t)WND << RWS) - 1, 0, 0), POL, 1,
	  A_CHAL(SN, SF_TCP_N_NONE), N_EST },
	{ "RST, wscale 7: RCV.NXT+(WND<<7), dropped",
	  C_WS, SEG(T_RST, RN + ((uint32_t)WND << RWS), 0, 0), POL, 1,
	  A_NOTE(N_OOW), N_EST },
	{ "RST, wscale 7: RCV.NXT-1, dropped",
	  C_WS, SEG(T_RST, RN - 1, 0, 0), POL, 1,
	  A_NOTE(N_OOW), N_EST },
	{ "RST, scaling not negotiated: rcv_wscale ignored, dropped",
	  C_WSOFF, SEG(T_RST, RN + WND, 0, 0), POL, 1,
	  A_NOTE(N_OOW), N_EST },
	{ "RST, entry's wscale 14: RCV.NXT+(WND<<14)-1, challenge",
	  CONN(EST, F_TS | F_WS, RN, SI, SN, SWS, 14, TSR),
	  SEG(T_RST, RN + ((uint32_t)WND << 14) - 1, 0, 0), POL, 1,
	  A_CHAL(SN, SF_TCP_N_NONE), N_EST },
	{ "RST, entry's wscale 14: RCV.NXT+(WND<<14), dropped",
	  CONN(EST, F_TS | F_WS, RN, SI, SN, SWS, 14, TSR),
	  SEG(T_RST, RN + ((uint32_t)WND << 14), 0, 0), POL, 1,
	  A_NOTE(N_OOW), N_EST },
	{ "RST in LAST_ACK at RCV.NXT: RST event, removed",
	  C_LA, SEG(T_RST, RN + 1, 0, 0), POL, 1,
	  { .events = EV_R, .note = N_RST, .remove = 1 }, N_LAR },

	/* -- RESET: an RST at RCV.NXT whose event is still to be queued */
	{ "RESET, pure ACK, room: RST event retried, removed",
	  C_RST, SEG(T_ACK, RN, SN, 0), POL, 1,
	  { .events = EV_R, .note = N_ARST, .remove = 1 }, N_RSET },
	{ "RESET, pure ACK, ring full: dropped, lost again",
	  C_RST, SEG(T_ACK, RN, SN, 0), POL, 0,
	  { .lost = 1, .note = N_ARST }, N_RSET },
	{ "RESET, data, room 2: no DATA, RST event, removed",
	  C_RST, SEG(T_ACK | T_PSH, RN, SN, 10), POL, 2,
	  { .events = EV_R, .note = N_ARST, .remove = 1 }, N_RSET },
	{ "RESET, the RST again, room: RST event, removed",
	  C_RST, SEG(T_RST, RN, 0, 0), POL, 1,
	  { .events = EV_R, .note = N_ARST, .remove = 1 }, N_RSET },
	{ "RESET, a SYN, ring full: no challenge, dropped",
	  C_RST, SEG(T_SYN, 999, 0, 0), POL, 0,
	  { .lost = 1, .note = N_ARST }, N_RSET },
	{ "RST in LAST_ACK at the FIN's seq (RCV.NXT-1): dropped",
	  C_LA, SEG(T_RST, RN, 0, 0), POL, 1,
	  A_NOTE(N_OOW), N_LA },
	{ "RST in LAST_ACK in window: challenge at SND.NXT",
	  C_LA, SEG(T_RST | T_ACK, RN + 100, SN + 1, 0), POL, 1,
	  A_CHAL(SN + 1, SF_TCP_N_NONE), N_LA },

	/* -- SYN, RFC 5961 section 4 (DESIGN: SYN on an ESTABLISHED flow) */
	{ "SYN on ESTABLISHED: challenge ACK",
	  C_EST, SEG(T_SYN, 999, 0, 0), POL, 0,
	  A_CHAL(SN, SF_TCP_N_NONE), N_EST },
	{ "SYN|ACK on ESTABLISHED: challenge ACK",
	  C_EST, SEG(T_SYN | T_ACK, RN, SN, 0), POL, 0,
	  A_CHAL(SN, SF_TCP_N_NONE), N_EST },
	{ "SYN with data at RCV.NXT: challenge, no event",
	  C_EST, SEG(T_SYN | T_ACK, RN, SN, 10), POL, 1,
	  A_CHAL(SN, SF_TCP_N_NONE), N_EST },
	{ "SYN|FIN at RCV.NXT: challenge, no event",
	  C_EST, SEG(T_SYN | T_FIN | T_ACK, RN, SN, 0), POL, 1,
	  A_CHAL(SN, SF_TCP_N_NONE), N_EST },
	{ "SYN in LAST_ACK: challenge at SND.NXT",
	  C_LA, SEG(T_SYN, 999, 0, 0), POL, 0,
	  A_CHAL(SN + 1, SF_TCP_N_NONE), N_LA },
	/* Whatever its timestamp: a restarted client must get the challenge. */
	{ "SYN with an older TSval: challenge all the same",
	  C_EST, SEGT(T_SYN, 999, 0, 0, 1, TSO), POL, 0,
	  A_CHAL(SN, SF_TCP_N_NONE), N_EST },
	{ "SYN without TSopt on a timestamp flow: challenge all the same",
	  C_EST, SEGT(T_SYN, 999, 0, 0, 0, 0), POL, 0,
	  A_CHAL(SN, SF_TCP_N_NONE), N_EST },

	/* -- SEG.ACK, RFC 5961 section 5.2: [ISS + 1, SND.NXT] */
	{ "SEG.ACK = ISS+1 = SND.NXT: accepted",
	  C_EST, SEG(T_ACK, RN, SN, 0), POL, 0,
	  A_NOTE(N_ACK), NEXT(RN, SN, EST, W, TSN) },
	{ "SEG.ACK = ISS: challenge",
	  C_EST, SEG(T_ACK, RN, SI, 0), POL, 0,
	  A_CHAL(SN, N_OOW), N_EST },
	{ "SEG.ACK = ISS-2^30: challenge",
	  C_EST, SEG(T_ACK, RN, SI - UINT32_C(0x40000000), 0), POL, 0,
	  A_CHAL(SN, N_OOW), N_EST },
	{ "SEG.ACK = SND.NXT+1: challenge",
	  C_EST, SEG(T_ACK, RN, SN + 1, 0), POL, 0,
	  A_CHAL(SN, N_OOW), N_EST },
	{ "SEG.ACK = SND.NXT+2^31: challenge",
	  C_EST, SEG(T_ACK, RN, SN + UINT32_C(0x80000000), 0), POL, 0,
	  A_CHAL(SN, N_OOW), N_EST },
	{ "data with SEG.ACK above SND.NXT: challenge, no event",
	  C_EST, SEG(T_ACK | T_PSH, RN, SN + 1000, 6), POL, 1,
	  A_CHAL(SN, N_OOW), N_EST },
	{ "data with SEG.ACK below ISS+1: challenge, no event",
	  C_EST, SEG(T_ACK | T_PSH, RN, SN - 2, 6), POL, 1,
	  A_CHAL(SN, N_OOW), N_EST },
	{ "FIN with SEG.ACK above SND.NXT: challenge, no event",
	  C_EST, SEG(T_ACK | T_FIN, RN, SN + 1, 0), POL, 1,
	  A_CHAL(SN, N_OOW), N_EST },
	{ "ISS 0xffffffff: SEG.ACK 0 = SND.NXT accepted",
	  CONN(EST, F_TS, RN, 0xffffffff, 0, 0, 0, TSR),
	  SEG(T_ACK, RN, 0, 0), POL, 0,
	  A_NOTE(N_ACK), NEXT(RN, 0, EST, W, TSN) },
	{ "ISS 0xffffffff: SEG.ACK = ISS challenged",
	  CONN(EST, F_TS, RN, 0xffffffff, 0, 0, 0, TSR),
	  SEG(T_ACK, RN, 0xffffffff, 0), POL, 0,
	  A_CHAL(0, N_OOW), NEXTS(RN, 0, EST, W0, TSR) },
	{ "ISS 0xffffffff: SEG.ACK 1 challenged",
	  CONN(EST, F_TS, RN, 0xffffffff, 0, 0, 0, TSR),
	  SEG(T_ACK, RN, 1, 0), POL, 0,
	  A_CHAL(0, N_OOW), NEXTS(RN, 0, EST, W0, TSR) },
	{ "LAST_ACK: SEG.ACK = ISS+1 (FIN not acked) accepted, nothing",
	  C_LA, SEG(T_ACK, RN + 1, SN, 0), POL, 0,
	  A_NOTE(N_ACK), NEXT(RN + 1, SN + 1, LA, W, TSN) },
	{ "LAST_ACK: SEG.ACK = SND.NXT+1: challenge",
	  C_LA, SEG(T_ACK, RN + 1, SN + 2, 0), POL, 0,
	  A_CHAL(SN + 1, N_OOW), N_LA },
	{ "LAST_ACK: SEG.ACK = ISS: challenge",
	  C_LA, SEG(T_ACK, RN + 1, SI, 0), POL, 0,
	  A_CHAL(SN + 1, N_OOW), N_LA },

	/* -- No ACK bit (RFC 9293 3.10.7.4 fifth: drop), no reply */
	{ "no ACK bit, data: unexpected, dropped",
	  C_EST, SEG(T_PSH, RN, SN, 1), POL, 1,
	  A_NOTE(N_UNX), N_EST },
	{ "no ACK bit, FIN: unexpected, dropped",
	  C_EST, SEG(T_FIN, RN, SN, 0), POL, 1,
	  A_NOTE(N_UNX), N_EST },
	{ "no flags at all: unexpected, dropped",
	  C_EST, SEG(0, RN, SN, 0), POL, 0,
	  A_NOTE(N_UNX), N_EST },
	{ "LAST_ACK, no ACK bit: unexpected, dropped",
	  C_LA, SEG(T_FIN, RN, SN, 0), POL, 1,
	  A_NOTE(N_UNX), N_LA },

	/* -- Pure ACKs and keepalives */
	{ "pure ACK at RCV.NXT, no timestamps: nothing to do",
	  C_NOTS, SEGT(T_ACK, RN, SN, 0, 0, 0), POL, 0,
	  A_NOTE(N_ACK), NEXT(RN, SN, EST, W, 0) },
	/*
	 * A keepalive (RCV.NXT-1, len 0) is not acceptable (RFC 9293
	 * 3.10.7.4): ACKed, flow-limited, nothing taken from it but the
	 * idle time (its SEG.ACK is acceptable: the client is alive).
	 */
	{ "keepalive (RCV.NXT-1, len 0): ACK",
	  C_EST, SEGT(T_ACK, RN - 1, SN, 0, 1, TSR), POL, 0,
	  A_ACK(SN, N_KA), NEXT(RN, SN, EST, W0, TSR), LIM },
	{ "keepalive, no timestamps: ACK",
	  C_NOTS, SEGT(T_ACK, RN - 1, SN, 0, 0, 0), POL, 0,
	  A_ACK(SN, N_KA), NEXT(RN, SN, EST, W0, 0), LIM },
	{ "keepalive with one garbage byte (RCV.NXT-1, len 1): dup ACK",
	  C_EST, SEGT(T_ACK, RN - 1, SN, 1, 1, TSR), POL, 1,
	  A_ACK(SN, N_DUP), N_OLD },
	{ "keepalive with a bad SEG.ACK: challenge, idle time kept",
	  C_EST, SEGT(T_ACK, RN - 1, SN + 5, 0, 1, TSR), POL, 0,
	  A_CHAL(SN, N_OOW), N_EST },
	/* Old pure ACKs other than RCV.NXT-1 are out of window, not keepalives. */
	{ "old pure ACK (RCV.NXT-1000): ACK, out of window",
	  C_EST, SEGT(T_ACK, RN - 1000, SN, 0, 1, TSR), POL, 0,
	  A_ACK(SN, N_OOW), N_OLD, LIM },
	{ "pure ACK in window after RCV.NXT: nothing to do",
	  C_EST, SEG(T_ACK, RN + 100, SN, 0), POL, 0,
	  A_NOTE(N_ACK), NEXT(RN, SN, EST, W, TSR) },
	{ "pure ACK at RCV.NXT+WND-1 (last in window): taken",
	  C_EST, SEG(T_ACK, RN + WND - 1, SN, 0), POL, 0,
	  A_NOTE(N_ACK), NEXT(RN, SN, EST, W, TSR) },
	/* RFC 9293 3.10.7.4: at or after RCV.NXT + RCV.WND, ACK and drop. */
	{ "pure ACK beyond the window (RCV.NXT+WND): ACK, dropped",
	  C_EST, SEG(T_ACK, RN + WND, SN, 0), POL, 0,
	  A_ACK(SN, N_OOW), N_OLD, LIM },
	/* Not a keepalive (only ESTABLISHED probes are): out of window. */
	{ "LAST_ACK, RCV.NXT-1, len 0: ACK, dropped",
	  C_LA, SEGT(T_ACK, RN, SN, 0, 1, TSR), POL, 0,
	  A_ACK(SN + 1, N_OOW), N_LAOLD, LIM },
	{ "LAST_ACK, the last ACK: closed, removed",
	  C_LA, SEG(T_ACK, RN + 1, SN + 1, 0), POL, 0,
	  { .note = N_CLOSE, .remove = 1 },
	  NEXT(RN + 1, SN + 1, LA, W, TSN) },
	{ "LAST_ACK, the last ACK, no timestamps: closed, removed",
	  CONN(LA, 0, RN + 1, SI, SN + 1, 0, 0, 0),
	  SEGT(T_ACK, RN + 1, SN + 1, 0, 0, 0), POL, 0,
	  { .note = N_CLOSE, .remove = 1 },
	  NEXT(RN + 1, SN + 1, LA, W, 0) },
	/* RFC 9293: not acceptable, ACKed and dropped before SEG.ACK counts. */
	{ "LAST_ACK, old pure ACK of our FIN: ACK, not closed",
	  C_LA, SEGT(T_ACK, RN, SN + 1, 0, 1, TSR), POL, 0,
	  A_ACK(SN + 1, N_OOW), N_LAOLD, LIM },

	/* -- Data (DESIGN: DATA event, ACKed once it is queued) */
	{ "data at RCV.NXT: DATA event, ACK",
	  C_EST, SEG(T_ACK | T_PSH, RN, SN, 18), POL, 1,
	  { .reply = RE_ACK, .reply_seq = SN, .events = EV_D,
	    .data_seq = RN, .data_len = 18 },
	  NEXT(RN + 18, SN, EST, W, TSN) },
	{ "data at RCV.NXT, room for 2: the same",
	  C_EST, SEG(T_ACK, RN, SN, 18), POL, 2,
	  { .reply = RE_ACK, .reply_seq = SN, .events = EV_D,
	    .data_seq = RN, .data_len = 18 },
	  NEXT(RN + 18, SN, EST, W, TSN) },
	{ "data at RCV.NXT, no timestamps",
	  C_NOTS, SEGT(T_ACK, RN, SN, 1460, 0, 0), POL, 1,
	  { .reply = RE_ACK, .reply_seq = SN, .events = EV_D,
	    .data_seq = RN, .data_len = 1460 },
	  NEXT(RN + 1460, SN, EST, W, 0) },
	{ "data across the sequence wrap",
	  CONN(EST, F_TS, 0xfffffffe, SI, SN, 0, 0, TSR),
	  SEG(T_ACK, 0xfffffffe, SN, 4), POL, 1,
	  { .reply = RE_ACK, .reply_seq = SN, .events = EV_D,
	    .data_seq = 0xfffffffe, .data_len = 4 },
	  NEXT(2, SN, EST, W, TSN) },
	{ "data, 65535 bytes",
	  C_EST, SEG(T_ACK, RN, SN, 65535), POL, 1,
	  { .reply = RE_ACK, .reply_seq = SN, .events = EV_D,
	    .data_seq = RN, .data_len = 65535 },
	  NEXT(RN + 65535, SN, EST, W, TSN) },
	{ "data, window scaling: snd_wnd = window << snd_wscale",
	  C_WS, SEG(T_ACK, RN, SN, 10), POL, 1,
	  { .reply = RE_ACK, .reply_seq = SN, .events = EV_D,
	    .data_seq = RN, .data_len = 10 },
	  NEXT(RN + 10, SN, EST, (uint32_t)W << SWS, TSN) },
	{ "data, scaling not negotiated: window as sent",
	  C_WSOFF, SEG(T_ACK, RN, SN, 10), POL, 1,
	  { .reply = RE_ACK, .reply_seq = SN, .events = EV_D,
	    .data_seq = RN, .data_len = 10 },
	  NEXT(RN + 10, SN, EST, W, TSN) },
	/*
	 * Entirely old data is a retransmission (our ACK was lost): ACKed
	 * at once, never flow-limited (as Linux: data is no ACK loop), but
	 * not acceptable: no window, no TSval, no idle time taken from it.
	 */
	{ "entirely old data: dup ACK, no event",
	  C_EST, SEGT(T_ACK, RN - 10, SN, 10, 1, TSR), POL, 1,
	  A_ACK(SN, N_DUP), N_OLD },
	{ "entirely old data, ring full: dup ACK all the same",
	  C_EST, SEGT(T_ACK, RN - 10, SN, 10, 1, TSR), POL, 0,
	  A_ACK(SN, N_DUP), N_OLD },
	/* RFC 9293: the window is taken from acceptable segments only. */
	{ "old duplicate with window 0: snd_wnd kept",
	  C_EST, SEGX(T_ACK, RN - 10, SN, 10, 0, 1, TSR), POL, 1,
	  A_ACK(SN, N_DUP), N_OLD },
	{ "old data ending before RCV.NXT-1: dup ACK",
	  C_EST, SEGT(T_ACK, RN - 100, SN, 10, 1, TSR), POL, 1,
	  A_ACK(SN, N_DUP), N_OLD },
	{ "partially old data (5 of 10): only the new bytes",
	  C_EST, SEG(T_ACK, RN - 5, SN, 10), POL, 1,
	  { .reply = RE_ACK, .reply_seq = SN, .events = EV_D,
	    .data_seq = RN, .data_skip = 5, .data_len = 5 },
	  NEXT(RN + 5, SN, EST, W, TSN) },
	{ "partially old data (1 new byte)",
	  C_EST, SEG(T_ACK, RN - 9, SN, 10), POL, 1,
	  { .reply = RE_ACK, .reply_seq = SN, .events = EV_D,
	    .data_seq = RN, .data_skip = 9, .data_len = 1 },
	  NEXT(RN + 1, SN, EST, W, TSN) },
	{ "old data 2^31-1 back: dup ACK",
	  C_EST, SEGT(T_ACK, RN - UINT32_C(0x7fffffff), SN, 10, 1, TSR),
	  POL, 1, A_ACK(SN, N_DUP), N_OLD },
	/* Half the sequence space away is neither side; unacceptable. */
	{ "data 2^31 away: taken as old, dup ACK",
	  C_EST, SEGT(T_ACK, RN + UINT32_C(0x80000000), SN, 10, 1, TSR),
	  POL, 1, A_ACK(SN, N_DUP), N_OLD },
	{ "data after a hole: dup ACK, no event",
	  C_EST, SEG(T_ACK, RN + 100, SN, 2), POL, 1,
	  A_ACK(SN, N_OOW), NEXT(RN, SN, EST, W, TSR) },
	{ "data 1 byte after RCV.NXT: dup ACK, no event",
	  C_EST, SEG(T_ACK, RN + 1, SN, 2), POL, 1,
	  A_ACK(SN, N_OOW), NEXT(RN, SN, EST, W, TSR) },
	{ "data beyond the window: dup ACK, no event",
	  C_EST, SEG(T_ACK, RN + 70000, SN, 2), POL, 1,
	  A_ACK(SN, N_OOW), N_OLD, LIM },
	{ "data at RCV.NXT+WND: beyond the window, dup ACK",
	  C_EST, SEG(T_ACK, RN + WND, SN, 2), POL, 1,
	  A_ACK(SN, N_OOW), N_OLD, LIM },

	/* -- The window (RFC 9293 3.10.7.4): a 100-byte window, unscaled */
	{ "window 100: 150 bytes at RCV.NXT: 100 taken",
	  C_EST, SEG(T_ACK, RN, SN, 150), POLW, 1,
	  { .reply = RE_ACK, .reply_seq = SN, .events = EV_D,
	    .data_seq = RN, .data_len = SW },
	  NEXT(RN + SW, SN, EST, W, TSN) },
	{ "window 100: 100 bytes + FIN: data taken, FIN beyond it not",
	  C_EST, SEG(T_ACK | T_FIN, RN, SN, SW), POLW, 2,
	  { .reply = RE_ACK, .reply_seq = SN, .events = EV_D,
	    .data_seq = RN, .data_len = SW },
	  NEXT(RN + SW, SN, EST, W, TSN) },
	{ "window 100: 99 bytes + FIN: both in the window",
	  C_EST, SEG(T_ACK | T_FIN, RN, SN, SW - 1), POLW, 2,
	  { .reply = RE_FIN, .reply_seq = SN, .events = EV_D | EV_F,
	    .data_seq = RN, .data_len = SW - 1 },
	  NEXT(RN + SW, SN + 1, LA, W, TSN) },
	{ "window 100: 50 old + 150 new bytes: 100 taken",
	  C_EST, SEG(T_ACK, RN - 50, SN, 200), POLW, 1,
	  { .reply = RE_ACK, .reply_seq = SN, .events = EV_D,
	    .data_seq = RN, .data_skip = 50, .data_len = SW },
	  NEXT(RN + SW, SN, EST, W, TSN) },
	{ "window 100: 300 bytes spanning the window: 100 taken",
	  C_EST, SEG(T_ACK, RN - 10, SN, 300), POLW, 1,
	  { .reply = RE_ACK, .reply_seq = SN, .events = EV_D,
	    .data_seq = RN, .data_skip = 10, .data_len = SW },
	  NEXT(RN + SW, SN, EST, W, TSN) },
	{ "window 100: 150 bytes, ring full: lost, nothing taken",
	  C_EST, SEG(T_ACK, RN, SN, 150), POLW, 0,
	  { .lost = 1 }, NEXT(RN, SN, EST, W, TSN) },
	{ "window 100: data at RCV.NXT+99: after a hole, dup ACK",
	  C_EST, SEG(T_ACK, RN + SW - 1, SN, 5), POLW, 1,
	  A_ACK(SN, N_OOW), NEXT(RN, SN, EST, W, TSR) },
	{ "window 100: data at RCV.NXT+100: beyond, dup ACK",
	  C_EST, SEG(T_ACK, RN + SW, SN, 5), POLW, 1,
	  A_ACK(SN, N_OOW), N_OLD, LIM },
	{ "window 100: FIN alone at RCV.NXT+100: beyond, dup ACK",
	  C_EST, SEG(T_ACK | T_FIN, RN + SW, SN, 0), POLW, 1,
	  A_ACK(SN, N_OOW), N_OLD, LIM },
	{ "window 100: pure ACK at RCV.NXT+100: beyond, ACK",
	  C_EST, SEG(T_ACK, RN + SW, SN, 0), POLW, 0,
	  A_ACK(SN, N_OOW), N_OLD, LIM },
	/*
	 * Ring full: nothing queued, nothing acknowledged, RCV.NXT kept (the
	 * client retransmits). The segment's window and TSval are taken,
	 * as RFC 7323 5.3 R3 records TS.Recent before the text is queued.
	 */
	{ "data at RCV.NXT, ring full: lost, no reply, RCV.NXT kept",
	  C_EST, SEG(T_ACK, RN, SN, 5), POL, 0,
	  { .lost = 1 }, NEXT(RN, SN, EST, W, TSN) },
	{ "partially old data, ring full: lost, no reply",
	  C_EST, SEG(T_ACK, RN - 5, SN, 10), POL, 0,
	  { .lost = 1 }, NEXT(RN, SN, EST, W, TSN) },
	/*
	 * PAWS (RFC 7323 5.3 R1): a TSval older than TS.Recent makes the
	 * segment an old duplicate: ACKed (flow-limited) and dropped.
	 */
	{ "data with an older TSval: PAWS, ACK, dropped",
	  C_EST, SEGT(T_ACK, RN, SN, 5, 1, TSO), POL, 1,
	  A_ACK(SN, N_PAWS), N_OLD, LIM },
	{ "FIN with an older TSval: PAWS, no FIN event",
	  C_EST, SEGT(T_ACK | T_FIN, RN, SN, 0, 1, TSO), POL, 1,
	  A_ACK(SN, N_PAWS), N_OLD, LIM },
	{ "data with an older TSval, no timestamps: TSopt ignored",
	  C_NOTS, SEGT(T_ACK, RN, SN, 5, 1, TSO), POL, 1,
	  { .reply = RE_ACK, .reply_seq = SN, .events = EV_D,
	    .data_seq = RN, .data_len = 5 },
	  NEXT(RN + 5, SN, EST, W, 0) },
	/* RFC 7323 3.2: a non-RST segment without TSopt is dropped. */
	{ "data without TSopt on a timestamp connection: dropped",
	  C_EST, SEGT(T_ACK, RN, SN, 5, 0, 0), POL, 1,
	  A_NOTE(N_TSM), N_OLD },
	{ "FIN without TSopt on a timestamp connection: dropped",
	  C_EST, SEGT(T_ACK | T_FIN, RN, SN, 0, 0, 0), POL, 1,
	  A_NOTE(N_TSM), N_OLD },

	/* -- FIN (DESIGN: FIN event; ACK plus our FIN; LAST_ACK) */
	{ "FIN at RCV.NXT: FIN event, FIN|ACK, LAST_ACK",
	  C_EST, SEG(T_ACK | T_FIN, RN, SN, 0), POL, 1,
	  { .reply = RE_FIN, .reply_seq = SN, .events = EV_F },
	  NEXT(RN + 1, SN + 1, LA, W, TSN) },
	{ "FIN at RCV.NXT, no timestamps",
	  C_NOTS, SEGT(T_ACK | T_FIN, RN, SN, 0, 0, 0), POL, 1,
	  { .reply = RE_FIN, .reply_seq = SN, .events = EV_F },
	  NEXT(RN + 1, SN + 1, LA, W, 0) },
	{ "FIN with data, room 2: DATA and FIN, FIN|ACK",
	  C_EST, SEG(T_ACK | T_FIN | T_PSH, RN, SN, 3), POL, 2,
	  { .reply = RE_FIN, .reply_seq = SN, .events = EV_D | EV_F,
	    .data_seq = RN, .data_len = 3 },
	  NEXT(RN + 4, SN + 1, LA, W, TSN) },
	{ "FIN with data, room 1: data ACKed alone, FIN lost",
	  C_EST, SEG(T_ACK | T_FIN | T_PSH, RN, SN, 3), POL, 1,
	  { .reply = RE_ACK, .reply_seq = SN, .events = EV_D,
	    .data_seq = RN, .data_len = 3, .lost = 1 },
	  NEXT(RN + 3, SN, EST, W, TSN) },
	/* lost is "events called for that did not fit": DATA and FIN. */
	{ "FIN with data, room 0: nothing, lost 2",
	  C_EST, SEG(T_ACK | T_FIN | T_PSH, RN, SN, 3), POL, 0,
	  { .lost = 2 }, NEXT(RN, SN, EST, W, TSN) },
	{ "FIN alone, room 0: nothing, lost",
	  C_EST, SEG(T_ACK | T_FIN, RN, SN, 0), POL, 0,
	  { .lost = 1 }, NEXT(RN, SN, EST, W, TSN) },
	{ "FIN after entirely old data: FIN event only",
	  C_EST, SEG(T_ACK | T_FIN, RN - 3, SN, 3), POL, 1,
	  { .reply = RE_FIN, .reply_seq = SN, .events = EV_F },
	  NEXT(RN + 1, SN + 1, LA, W, TSN) },
	{ "FIN with partially old data: new bytes, then FIN",
	  C_EST, SEG(T_ACK | T_FIN, RN - 2, SN, 5), POL, 2,
	  { .reply = RE_FIN, .reply_seq = SN, .events = EV_D | EV_F,
	    .data_seq = RN, .data_skip = 2, .data_len = 3 },
	  NEXT(RN + 4, SN + 1, LA, W, TSN) },
	{ "FIN after a hole: dup ACK, no event",
	  C_EST, SEG(T_ACK | T_FIN, RN + 10, SN, 0), POL, 1,
	  A_ACK(SN, N_OOW), NEXT(RN, SN, EST, W, TSR) },
	{ "FIN, window scaling: FIN|ACK, snd_wnd scaled",
	  C_WS, SEG(T_ACK | T_FIN, RN, SN, 0), POL, 1,
	  { .reply = RE_FIN, .reply_seq = SN, .events = EV_F },
	  NEXT(RN + 1, SN + 1, LA, (uint32_t)W << SWS, TSN) },

	/* -- LAST_ACK: our FIN at SND.NXT-1, the client's at RCV.NXT-1 */
	{ "LAST_ACK, retransmitted FIN: FIN|ACK again at SND.NXT-1",
	  C_LA, SEGT(T_ACK | T_FIN, RN, SN, 0, 1, TSR), POL, 1,
	  { .reply = RE_FIN, .reply_seq = SN }, N_LAOLD },
	{ "LAST_ACK, retransmitted data+FIN: FIN|ACK again",
	  C_LA, SEGT(T_ACK | T_FIN | T_PSH, RN - 3, SN, 3, 1, TSR), POL, 2,
	  { .reply = RE_FIN, .reply_seq = SN }, N_LAOLD },
	{ "LAST_ACK, new data after the FIN: unexpected, no reply",
	  C_LA, SEG(T_ACK | T_PSH, RN + 1, SN, 4), POL, 1,
	  A_NOTE(N_UNX), NEXT(RN + 1, SN + 1, LA, W, TSN) },
	/*
	 * RFC 9293 3.10.7.4 LAST-ACK: "If our FIN is now acknowledged,
	 * delete the TCB", before the text is looked at.
	 */
	{ "LAST_ACK, new data acking our FIN: closed, removed",
	  C_LA, SEG(T_ACK | T_PSH, RN + 1, SN + 1, 4), POL, 1,
	  { .note = N_CLOSE, .remove = 1 },
	  NEXT(RN + 1, SN + 1, LA, W, TSN) },
	{ "LAST_ACK, a FIN again acking our FIN, after RCV.NXT: closed",
	  C_LA, SEG(T_ACK | T_FIN, RN + 1, SN + 1, 0), POL, 1,
	  { .note = N_CLOSE, .remove = 1 },
	  NEXT(RN + 1, SN + 1, LA, W, TSN) },
	{ "LAST_ACK, old data: dup ACK at SND.NXT",
	  C_LA, SEGT(T_ACK, RN - 4, SN, 3, 1, TSR), POL, 1,
	  A_ACK(SN + 1, N_DUP), N_LAOLD },
	{ "LAST_ACK, FIN after RCV.NXT: dup ACK",
	  C_LA, SEG(T_ACK | T_FIN, RN + 5, SN, 0), POL, 1,
	  A_ACK(SN + 1, N_OOW), NEXT(RN + 1, SN + 1, LA, W, TSR) },
	{ "LAST_ACK, FIN at another old seq: dup ACK",
	  C_LA, SEGT(T_ACK | T_FIN, RN - 5, SN, 0, 1, TSR), POL, 1,
	  A_ACK(SN + 1, N_DUP), N_LAOLD },

	/*
	 * -- TS.Recent, RFC 7323 4.3: an acceptable segment that covers
	 * RCV.NXT (SEG.SEQ <= Last.ACK.sent), TSval >= it (PAWS passed)
	 */
	{ "TS.Recent: newer TSval at RCV.NXT: taken",
	  C_EST, SEGT(T_ACK, RN, SN, 0, 1, TSN), POL, 0,
	  A_NOTE(N_ACK), NEXT(RN, SN, EST, W, TSN) },
	{ "TS.Recent: equal TSval: kept (the same)",
	  C_EST, SEGT(T_ACK, RN, SN, 0, 1, TSR), POL, 0,
	  A_NOTE(N_ACK), NEXT(RN, SN, EST, W, TSR) },
	/* PAWS (RFC 7323 5.3 R1): an older TSval, ACK and drop. */
	{ "TS.Recent: older TSval: PAWS, ACK, kept",
	  C_EST, SEGT(T_ACK, RN, SN, 0, 1, TSO), POL, 0,
	  A_ACK(SN, N_PAWS), N_OLD, LIM },
	{ "TS.Recent: TSval one below: PAWS",
	  C_EST, SEGT(T_ACK, RN, SN, 0, 1, TSR - 1), POL, 0,
	  A_ACK(SN, N_PAWS), N_OLD, LIM },
	{ "TS.Recent: TSval wraps 0xfffffff0 -> 0x10: newer, taken",
	  CONN(EST, F_TS, RN, SI, SN, 0, 0, 0xfffffff0),
	  SEGT(T_ACK, RN, SN, 0, 1, 0x10), POL, 0,
	  A_NOTE(N_ACK), NEXT(RN, SN, EST, W, 0x10) },
	{ "TS.Recent: 0x10 -> 0xfffffff0 across the wrap: older, PAWS",
	  CONN(EST, F_TS, RN, SI, SN, 0, 0, 0x10),
	  SEGT(T_ACK, RN, SN, 0, 1, 0xfffffff0), POL, 0,
	  A_ACK(SN, N_PAWS), NEXTS(RN, SN, EST, W0, 0x10), LIM },
	{ "TS.Recent: TSval 2^31-1 ahead: newer, taken",
	  C_EST, SEGT(T_ACK, RN, SN, 0, 1, TSR + UINT32_C(0x7fffffff)), POL, 0,
	  A_NOTE(N_ACK), NEXT(RN, SN, EST, W, TSR + UINT32_C(0x7fffffff)) },
	/*
	 * 2^31 apart, neither TSval is "less" (RFC 7323 5.2: s < t when
	 * 0 < t - s < 2^31); the signed difference calls it older.
	 */
	{ "TS.Recent: TSval 2^31 ahead: taken as older, PAWS",
	  C_EST, SEGT(T_ACK, RN, SN, 0, 1, TSR + UINT32_C(0x80000000)), POL, 0,
	  A_ACK(SN, N_PAWS), N_OLD, LIM },
	{ "TS.Recent: pure ACK after RCV.NXT (future): kept",
	  C_EST, SEGT(T_ACK, RN + 1, SN, 0, 1, TSN), POL, 0,
	  A_NOTE(N_ACK), NEXT(RN, SN, EST, W, TSR) },
	{ "TS.Recent: data after a hole (future): kept",
	  C_EST, SEGT(T_ACK, RN + 100, SN, 5, 1, TSN), POL, 1,
	  A_ACK(SN, N_OOW), NEXT(RN, SN, EST, W, TSR) },
	{ "TS.Recent: in-order data: taken",
	  C_EST, SEGT(T_ACK, RN, SN, 5, 1, TSN), POL, 1,
	  { .reply = RE_ACK, .reply_seq = SN, .events = EV_D,
	    .data_seq = RN, .data_len = 5 },
	  NEXT(RN + 5, SN, EST, W, TSN) },
	{ "TS.Recent: partially old data: taken",
	  C_EST, SEGT(T_ACK, RN - 5, SN, 10, 1, TSN), POL, 1,
	  { .reply = RE_ACK, .reply_seq = SN, .events = EV_D,
	    .data_seq = RN, .data_skip = 5, .data_len = 5 },
	  NEXT(RN + 5, SN, EST, W, TSN) },
	/*
	 * RFC 7323 5.3 rejects a segment outside the window (R2) before it
	 * records TS.Recent (R3): a keepalive and an entirely old segment
	 * are outside it (RFC 9293 3.10.7.4); their TSval is not recorded.
	 */
	{ "TS.Recent: keepalive's newer TSval: kept",
	  C_EST, SEGT(T_ACK, RN - 1, SN, 0, 1, TSN), POL, 0,
	  A_ACK(SN, N_KA), NEXT(RN, SN, EST, W0, TSR), LIM },
	{ "TS.Recent: entirely old data's newer TSval: kept",
	  C_EST, SEGT(T_ACK, RN - 10, SN, 10, 1, TSN), POL, 1,
	  A_ACK(SN, N_DUP), N_OLD },
	{ "TS.Recent: LAST_ACK, an ACK at RCV.NXT: taken",
	  C_LA, SEGT(T_ACK, RN + 1, SN, 0, 1, TSN), POL, 0,
	  A_NOTE(N_ACK), NEXT(RN + 1, SN + 1, LA, W, TSN) },
	{ "TS.Recent: segment without TSopt: dropped, kept",
	  C_EST, SEGT(T_ACK, RN, SN, 0, 0, 0), POL, 0,
	  A_NOTE(N_TSM), N_OLD },
	{ "TS.Recent: timestamps not negotiated: TSopt ignored",
	  C_NOTS, SEGT(T_ACK, RN, SN, 0, 1, TSN), POL, 0,
	  A_NOTE(N_ACK), NEXT(RN, SN, EST, W, 0) },
	{ "TS.Recent: not taken from an RST (in window)",
	  C_EST, SEGT(T_RST, RN + 1, 0, 0, 1, TSN), POL, 1,
	  A_CHAL(SN, SF_TCP_N_NONE), N_EST },
	{ "TS.Recent: not taken from a SYN",
	  C_EST, SEGT(T_SYN, RN, 0, 0, 1, TSN), POL, 0,
	  A_CHAL(SN, SF_TCP_N_NONE), N_EST },
	{ "TS.Recent: not taken with an unacceptable SEG.ACK",
	  C_EST, SEGT(T_ACK, RN, SN + 1, 0, 1, TSN), POL, 0,
	  A_CHAL(SN, N_OOW), N_EST },

	/* -- The client's window (snd_wnd) */
	{ "window: scaled by snd_wscale with scaling",
	  C_WS, SEGX(T_ACK, RN, SN, 0, 1000, 1, TSN), POL, 0,
	  A_NOTE(N_ACK), NEXT(RN, SN, EST, 1000u << SWS, TSN) },
	{ "window: unscaled without scaling (snd_wscale set)",
	  C_WSOFF, SEGX(T_ACK, RN, SN, 0, 1000, 1, TSN), POL, 0,
	  A_NOTE(N_ACK), NEXT(RN, SN, EST, 1000, TSN) },
	{ "window: zero",
	  C_WS, SEGX(T_ACK, RN, SN, 0, 0, 1, TSN), POL, 0,
	  A_NOTE(N_ACK), NEXT(RN, SN, EST, 0, TSN) },
	{ "window: 65535 << 14",
	  CONN(EST, F_TS | F_WS, RN, SI, SN, 14, RWS, TSR),
	  SEGX(T_ACK, RN, SN, 0, 65535, 1, TSN), POL, 0,
	  A_NOTE(N_ACK), NEXT(RN, SN, EST, UINT32_C(65535) << 14, TSN) },
};

static void
conn_of(struct sf_conn *c, const struct row_conn *rc)
{
	memset(c, 0, sizeof(*c));
	c->client_isn = CI;
	c->server_isn = rc->server_isn;
	c->rcv_nxt = rc->rcv_nxt;
	c->snd_nxt = rc->snd_nxt;
	c->ts_recent = rc->ts_recent;
	c->snd_wnd = W0;
	c->last_tsc = OLD_TSC;
	c->chal_t = CHAL_T(OLD_TSC);
	c->snd_wl1 = rc->rcv_nxt - 0x10000;	/* older than every row's segment */
	c->snd_wl2 = rc->server_isn + 1;
	c->mss = MSS;
	c->state = rc->state;
	c->snd_wscale = rc->snd_wscale;
	c->rcv_wscale = rc->rcv_wscale;
	c->flags = rc->flags;
}

static void
seg_of(struct sf_pkt *p, const struct row_seg *rs)
{
	memset(p, 0, sizeof(*p));
	p->kind = SF_PKT_TCP;
	p->l2_len = 14;
	p->l3_len = 20;
	p->l4_len = rs->ts_ok ? 32 : 20;
	p->payload_off = (uint16_t)(p->l2_len + p->l3_len + p->l4_len);
	p->flow.family = SF_AF_INET;
	p->tcp_flags = rs->flags;
	p->seq = rs->seq;
	p->ack = rs->ack;
	p->payload_len = rs->len;
	p->window = rs->win;
	p->opts.wscale = SF_WSCALE_NONE;
	p->opts.ts_ok = rs->ts_ok;
	p->opts.tsval = rs->tsval;
	p->opts.tsecr = rs->ts_ok ? 0x12345678 : 0;
}

/*
 * Run one row; @return the number of fields that differ. With @p limited,
 * the flow's last limited reply was one tick ago: a limited reply (LIM,
 * every challenge) is then withheld, the rest of the row unchanged.
 */
static int
tcp_row_check(const struct tcp_row *r, int limited)
{
	const char *n = r->name;
	struct sf_tcp_action want = r->a;
	const struct sf_tcp_action *w = &want;
	int lim = r->lim || r->a.reply == RE_CHAL;
	struct sf_tcp_action a;
	struct sf_conn c, before;
	struct sf_pkt seg, seg0;
	int bad = 0;

	conn_of(&c, &r->c);
	if (limited && lim) {
		c.chal_t = CHAL_T(NOW_TSC) - 1;
		want.reply = SF_TCP_RE_NONE;
		want.reply_seq = 0;
		want.flow_limited = 1;
	}
	before = c;
	seg_of(&seg, &r->s);
	seg0 = seg;
	memset(&a, 0xa5, sizeof(a));	/* every field must be written */
	sf_tcp_input(&c, NULL, &seg, &r->pol, r->room, NOW_TSC, IN_MS, &a);

	bad += EXPECT(n, "reply", a.reply, w->reply);
	bad += EXPECT(n, "reply_seq", a.reply_seq, w->reply_seq);
	bad += EXPECT(n, "events", a.events, w->events);
	bad += EXPECT(n, "lost", a.lost, w->lost);
	bad += EXPECT(n, "note", a.note, w->note);
	bad += EXPECT(n, "remove", a.remove, w->remove);
	bad += EXPECT(n, "flow_limited", a.flow_limited, w->flow_limited);
	bad += EXPECT(n, "data_seq", a.data_seq, w->data_seq);
	bad += EXPECT(n, "data_skip", a.data_skip, w->data_skip);
	bad += EXPECT(n, "data_len", a.data_len, w->data_len);

	bad += EXPECT(n, "next rcv_nxt", c.rcv_nxt, r->n.rcv_nxt);
	bad += EXPECT(n, "next snd_nxt", c.snd_nxt, r->n.snd_nxt);
	bad += EXPECT(n, "next state", c.state, r->n.state);
	bad += EXPECT(n, "next snd_wnd", c.snd_wnd, r->n.snd_wnd);
	bad += EXPECT(n, "next ts_recent", c.ts_recent, r->n.ts_recent);
	bad += EXPECT(n, "next last_tsc", c.last_tsc,
		      r->n.stale ? OLD_TSC : NOW_TSC);
	bad += EXPECT(n, "next chal_t", c.chal_t,
		      lim && !limited ? CHAL_T(NOW_TSC) : before.chal_t);
	/* What the segment never changes. */
	bad += EXPECT(n, "next client_isn", c.client_isn, before.client_isn);
	bad += EXPECT(n, "next server_isn", c.server_isn, before.server_isn);
	bad += EXPECT(n, "next mss", c.mss, before.mss);
	bad += EXPECT(n, "next flags", c.flags, before.flags);
	bad += EXPECT(n, "next snd_wscale", c.snd_wscale, before.snd_wscale);
	bad += EXPECT(n, "next rcv_wscale", c.rcv_wscale, before.rcv_wscale);
	bad += EXPECT(n, "next pad", c.pad[0] | c.pad[1], 0);
	/* The segment is only read. */
	bad += EXPECT(n, "segment changed",
		      memcmp(&seg, &seg0, sizeof(seg)) != 0, 0);
	return bad;
}

static void
test_input_table(void **state)
{
	unsigned int i;
	int bad = 0;

	(void)state;
	for (i = 0; i < RTE_DIM(tcp_rows); i++)
		bad += tcp_row_check(&tcp_rows[i], 0);
	print_message("%u rows\n", (unsigned int)RTE_DIM(tcp_rows));
	assert_int_equal(bad, 0);
}

/* The rows again, the flow's last limited reply one tick before. */
static void
test_input_table_flow_limited(void **state)
{
	unsigned int i, nlim = 0;
	int bad = 0;

	(void)state;
	for (i = 0; i < RTE_DIM(tcp_rows); i++) {
		bad += tcp_row_check(&tcp_rows[i], 1);
		nlim += tcp_rows[i].lim || tcp_rows[i].a.reply == RE_CHAL;
	}
	print_message("%u rows, %u with a flow-limited reply\n",
		      (unsigned int)RTE_DIM(tcp_rows), nlim);
	assert_int_equal(bad, 0);
}

/*
 * The rows again with the entry in another part of the sequence spaces:
 * RCV.NXT, ISS and TS.Recent moved by the same offsets in every row and
 * expectation. Outcomes depend on differences only, so they must not
 * change (a wrap past 2^32 on either side included).
 */
static void
test_input_table_shifted(void **state)
{
	static const uint32_t shifts[][3] = {
		/* RCV.NXT / SEG.SEQ, ISS / SEG.ACK, TS.Recent / TSval */
		{ 0xfff00000, 0x3f001200, 0xffffe000 },
		{ 0x7ff00000, 0x80000000, 0x80000000 },
		{ 0xffefffff, 0x3f0011ff, 0xffffec77 },
	};
	unsigned int i, k;
	int bad = 0;

	(void)state;
	for (k = 0; k < RTE_DIM(shifts); k++) {
		uint32_t ds = shifts[k][0], da = shifts[k][1];
		uint32_t dt = shifts[k][2];

		for (i = 0; i < RTE_DIM(tcp_rows); i++) {
			struct tcp_row r = tcp_rows[i];

			if (r.c.flags & F_TS) {
				r.c.ts_recent += dt;
				r.s.tsval += dt;
				r.n.ts_recent += dt;
			}
			r.c.rcv_nxt += ds;
			r.s.seq += ds;
			r.n.rcv_nxt += ds;
			r.a.data_seq += (r.a.events & EV_D) ? ds : 0;
			r.c.server_isn += da;
			r.c.snd_nxt += da;
			r.s.ack += da;
			r.n.snd_nxt += da;
			r.a.reply_seq += r.a.reply != SF_TCP_RE_NONE ? da : 0;
			bad += tcp_row_check(&r, 0);
		}
	}
	assert_int_equal(bad, 0);
}

/* ------------------------------------------------------------------ */
/* The per-flow limit over time (now_tsc steps)                        */

/*
 * One segment sent again and again to one flow at growing times: which
 * of the steps are answered. A limited reply goes at most once per GAP
 * ticks (the first at once); replies the limit does not cover go every
 * time; with chal_gap_tsc 0 nothing is limited.
 */
struct step_row {
	const char *name;
	struct row_conn c;
	struct row_seg s;
	uint64_t gap;			/* policy chal_gap_tsc */
	uint8_t reply;			/* the reply, when it goes */
	uint8_t note;
	uint8_t want[8];		/* 1: answered at step k */
};

/* The times of the steps: T0 + these. */
static const uint64_t step_dt[8] = {
	0, TU(1), GAP - TU(1), GAP, GAP + TU(1), 2 * GAP - TU(1), 3 * GAP,
	3 * GAP,
};
#define T0	(TU(5000) + 123)	/* ticks below one unit do not count */
#define STEPS_LIM	{ 1, 0, 0, 1, 0, 0, 1, 0 }
#define STEPS_ALL	{ 1, 1, 1, 1, 1, 1, 1, 1 }

static const struct step_row step_rows[] = {
	{ "SYN: challenge ACKs, limited", C_EST, SEG(T_SYN, 999, 0, 0),
	  GAP, RE_CHAL, SF_TCP_N_NONE, STEPS_LIM },
	{ "RST in window: challenge ACKs, limited",
	  C_EST, SEG(T_RST, RN + 10, 0, 0),
	  GAP, RE_CHAL, SF_TCP_N_NONE, STEPS_LIM },
	{ "bad SEG.ACK: challenge ACKs, limited",
	  C_EST, SEG(T_ACK, RN, SN + 9, 0),
	  GAP, RE_CHAL, N_OOW, STEPS_LIM },
	{ "beyond the window: ACKs, limited",
	  C_EST, SEG(T_ACK, RN + 70000, SN, 10),
	  GAP, RE_ACK, N_OOW, STEPS_LIM },
	{ "PAWS: ACKs, limited",
	  C_EST, SEGT(T_ACK, RN, SN, 10, 1, TSO),
	  GAP, RE_ACK, N_PAWS, STEPS_LIM },
	{ "keepalive: ACKs, limited",
	  C_EST, SEGT(T_ACK, RN - 1, SN, 0, 1, TSR),
	  GAP, RE_ACK, N_KA, STEPS_LIM },
	{ "old pure ACK: ACKs, limited",
	  C_EST, SEGT(T_ACK, RN - 100, SN, 0, 1, TSR),
	  GAP, RE_ACK, N_OOW, STEPS_LIM },
	{ "data after a hole in the window: dup ACKs, every one",
	  C_EST, SEG(T_ACK, RN + 10, SN, 10),
	  GAP, RE_ACK, N_OOW, STEPS_ALL },
	{ "old data (a retransmission): dup ACKs, every one",
	  C_EST, SEGT(T_ACK, RN - 10, SN, 10, 1, TSR),
	  GAP, RE_ACK, N_DUP, STEPS_ALL },
	{ "SYN, no per-flow limit (gap 0): every one",
	  C_EST, SEG(T_SYN, 999, 0, 0),
	  0, RE_CHAL, SF_TCP_N_NONE, STEPS_ALL },
};

static int
step_row_check(const struct step_row *r)
{
	const struct sf_tcp_policy pol = {
		.window = WND, .wscale = RWS, .chal_gap_tsc = r->gap,
	};
	struct sf_tcp_action a;
	struct sf_conn c;
	struct sf_pkt seg;
	char name[96];
	unsigned int k;
	int bad = 0;

	conn_of(&c, &r->c);
	seg_of(&seg, &r->s);
	/* As sf_tcp_accept() leaves it: the first reply may go at once. */
	c.chal_t = CHAL_T(T0 - r->gap);
	for (k = 0; k < RTE_DIM(step_dt); k++) {
		snprintf(name, sizeof(name), "%s, step %u (T0+%" PRIu64 ")",
			 r->name, k, step_dt[k]);
		sf_tcp_input(&c, NULL, &seg, &pol, 1, T0 + step_dt[k], IN_MS,
			     &a);
		bad += EXPECT(name, "reply", a.reply,
			      r->want[k] ? r->reply : SF_TCP_RE_NONE);
		bad += EXPECT(name, "flow_limited", a.flow_limited,
			      !r->want[k]);
		bad += EXPECT(name, "note", a.note, r->note);
	}
	return bad;
}

static void
test_flow_limit_steps(void **state)
{
	unsigned int i;
	int bad = 0;

	(void)state;
	for (i = 0; i < RTE_DIM(step_rows); i++)
		bad += step_row_check(&step_rows[i]);
	assert_int_equal(bad, 0);
}

/* ------------------------------------------------------------------ */
/* The client's window: RFC 9293's SND.WL1 / SND.WL2 order             */

static void
test_window_update_table(void **state)
{
	static const struct {
		const char *name;
		uint32_t wl1, wl2;	/* before */
		uint32_t seq, ack;	/* the segment (acceptable) */
		uint16_t win;
		uint32_t want;		/* snd_wnd after (W0: not taken) */
	} rows[] = {
		{ "SEG.SEQ after WL1: taken", RN - 1, SN, RN, SN, 7, 7 },
		{ "SEG.SEQ = WL1, SEG.ACK = WL2: taken", RN, SN, RN, SN, 7, 7 },
		{ "SEG.SEQ = WL1, SEG.ACK > WL2: taken",
		  RN, SN - 1, RN, SN, 7, 7 },
		{ "SEG.SEQ = WL1, SEG.ACK < WL2: kept",
		  RN, SN + 1, RN, SN, 7, W0 },
		{ "SEG.SEQ before WL1 (reordered): kept",
		  RN + 50, SN, RN, SN, 0, W0 },
		{ "WL1 across the wrap: taken",
		  RN - UINT32_C(0x7fffffff), SN, RN, SN, 7, 7 },
	};
	const struct sf_tcp_policy pol = POL;
	struct sf_tcp_action a;
	unsigned int i;
	int bad = 0;

	(void)state;
	for (i = 0; i < RTE_DIM(rows); i++) {
		const struct row_conn rc = C_NOTS;
		const struct row_seg rs = SEGX(T_ACK, rows[i].seq, rows[i].ack,
					       0, rows[i].win, 0, 0);
		int taken = rows[i].want != W0;
		struct sf_conn c;
		struct sf_pkt seg;

		conn_of(&c, &rc);
		c.snd_wl1 = rows[i].wl1;
		c.snd_wl2 = rows[i].wl2;
		seg_of(&seg, &rs);
		sf_tcp_input(&c, NULL, &seg, &pol, 0, NOW_TSC, IN_MS, &a);
		bad += EXPECT(rows[i].name, "note", a.note, N_ACK);
		bad += EXPECT(rows[i].name, "snd_wnd", c.snd_wnd, rows[i].want);
		bad += EXPECT(rows[i].name, "snd_wl1", c.snd_wl1,
			      taken ? rows[i].seq : rows[i].wl1);
		bad += EXPECT(rows[i].name, "snd_wl2", c.snd_wl2,
			      taken ? rows[i].ack : rows[i].wl2);
	}
	assert_int_equal(bad, 0);
}

/* ------------------------------------------------------------------ */
/* sf_tcp_accept(): the handshake's SYN options -> a new entry         */

#define ACK_TSVAL	UINT32_C(0xabcd0123)	/* the final ACK's TSval */
#define NOW_MS		UINT32_C(0x12345678)	/* our SYN-ACK's clock */
#define AS		4322		/* the final ACK's seq; its ack: SN */
#define ON_ALL		(SF_COOKIE_ON_TS | SF_COOKIE_ON_WS | SF_COOKIE_ON_SACK)

struct accept_row {
	const char *name;
	uint8_t family;
	struct sf_tcp_opts syn;	/* what the SYN offered */
	unsigned int on;	/* SF_COOKIE_ON_*: what we offer */
	uint8_t pol_wscale;	/* our shift */
	uint8_t mss_idx;	/* the cookie's */
	uint32_t seq, ack;	/* the final ACK's (AS, SN) */
	uint16_t win;		/* its window field */
	/* expected */
	uint8_t opt;
	uint16_t mss;
	uint8_t flags;
	uint8_t snd_wscale, rcv_wscale;
	uint32_t snd_wnd;
};

#define SYN_OPTS(ws_, sack_, ts_) \
	{ .mss = 1460, .wscale = (ws_), .sack_ok = (sack_), .ts_ok = (ts_), \
	  .tsval = 777 }
#define NO_WS	SF_WSCALE_NONE

static const struct accept_row accept_rows[] = {
	{ "v4, no timestamps (opt 0x3f): no options",
	  SF_AF_INET, SYN_OPTS(7, 1, 0), ON_ALL, RWS, 6, AS, SN, 29200,
	  SF_COOKIE_OPT_NONE, 1460, 0, 0, 0, 29200 },
	{ "v4, nothing offered",
	  SF_AF_INET, SYN_OPTS(NO_WS, 0, 0), ON_ALL, RWS, 0, AS, SN, 512,
	  SF_COOKIE_OPT_NONE, 536, 0, 0, 0, 512 },
	{ "v4, timestamps off here: opt 0x3f, no options",
	  SF_AF_INET, SYN_OPTS(7, 1, 1), SF_COOKIE_ON_WS | SF_COOKIE_ON_SACK,
	  RWS, 6, AS, SN, 29200,
	  SF_COOKIE_OPT_NONE, 1460, 0, 0, 0, 29200 },
	{ "v4, timestamps only",
	  SF_AF_INET, SYN_OPTS(NO_WS, 0, 1), ON_ALL, RWS, 5, AS, SN, 29200,
	  0x0f, 1440, SF_CONN_F_TS, 0, 0, 29200 },
	{ "v4, timestamps + SACK, no window scale",
	  SF_AF_INET, SYN_OPTS(NO_WS, 1, 1), ON_ALL, RWS, 6, AS, SN, 29200,
	  0x1f, 1460, SF_CONN_F_TS | SF_CONN_F_SACK, 0, 0, 29200 },
	{ "v4, timestamps + SACK + wscale 7",
	  SF_AF_INET, SYN_OPTS(7, 1, 1), ON_ALL, 9, 6, AS, SN, 502,
	  0x17, 1460, SF_CONN_F_TS | SF_CONN_F_SACK | SF_TCP_CONN_F_WS, 7, 9,
	  502u << 7 },
	{ "v4, timestamps + wscale 0",
	  SF_AF_INET, SYN_OPTS(0, 0, 1), ON_ALL, RWS, 6, AS, SN, 29200,
	  0x00, 1460, SF_CONN_F_TS | SF_TCP_CONN_F_WS, 0, RWS, 29200 },
	{ "v4, wscale 14, window 65535",
	  SF_AF_INET, SYN_OPTS(14, 0, 1), ON_ALL, RWS, 7, AS, SN, 65535,
	  0x0e, 8960, SF_CONN_F_TS | SF_TCP_CONN_F_WS, 14, RWS,
	  UINT32_C(65535) << 14 },
	{ "v4, client wscale 15: clamped to 14",
	  SF_AF_INET, SYN_OPTS(15, 0, 1), ON_ALL, RWS, 6, AS, SN, 100,
	  0x0e, 1460, SF_CONN_F_TS | SF_TCP_CONN_F_WS, 14, RWS, 100u << 14 },
	{ "v4, client wscale 200: clamped to 14, SACK",
	  SF_AF_INET, SYN_OPTS(200, 1, 1), ON_ALL, RWS, 6, AS, SN, 100,
	  0x1e, 1460, SF_CONN_F_TS | SF_CONN_F_SACK | SF_TCP_CONN_F_WS, 14, RWS,
	  100u << 14 },
	{ "v4, our wscale 0",
	  SF_AF_INET, SYN_OPTS(3, 0, 1), ON_ALL, 0, 6, AS, SN, 1000,
	  0x03, 1460, SF_CONN_F_TS | SF_TCP_CONN_F_WS, 3, 0, 8000 },
	{ "v4, window scaling off here",
	  SF_AF_INET, SYN_OPTS(7, 1, 1), SF_COOKIE_ON_TS | SF_COOKIE_ON_SACK,
	  RWS, 6, AS, SN, 29200,
	  0x1f, 1460, SF_CONN_F_TS | SF_CONN_F_SACK, 0, 0, 29200 },
	{ "v4, SACK off here",
	  SF_AF_INET, SYN_OPTS(7, 1, 1), SF_COOKIE_ON_TS | SF_COOKIE_ON_WS,
	  RWS, 6, AS, SN, 1000,
	  0x07, 1460, SF_CONN_F_TS | SF_TCP_CONN_F_WS, 7, RWS, 1000u << 7 },
	{ "v4, sequence numbers wrap: ISNs 0xffffffff",
	  SF_AF_INET, SYN_OPTS(NO_WS, 0, 0), ON_ALL, RWS, 0, 0, 0, 29200,
	  SF_COOKIE_OPT_NONE, 536, 0, 0, 0, 29200 },
	{ "v6, no timestamps",
	  SF_AF_INET6, SYN_OPTS(7, 1, 0), ON_ALL, RWS, 1, AS, SN, 29200,
	  SF_COOKIE_OPT_NONE, 1200, 0, 0, 0, 29200 },
	{ "v6, all options",
	  SF_AF_INET6, SYN_OPTS(8, 1, 1), ON_ALL, RWS, 6, AS, SN, 1000,
	  0x18, 1440, SF_CONN_F_TS | SF_CONN_F_SACK | SF_TCP_CONN_F_WS, 8, RWS,
	  1000u << 8 },
	{ "v6, jumbo MSS index",
	  SF_AF_INET6, SYN_OPTS(NO_WS, 0, 1), ON_ALL, RWS, 7, AS, SN, 9000,
	  0x0f, 8940, SF_CONN_F_TS, 0, 0, 9000 },
};

static int
accept_row_check(const struct accept_row *r)
{
	const struct sf_tcp_policy pol = {
		.window = WND, .wscale = r->pol_wscale, .chal_gap_tsc = GAP,
	};
	const char *n = r->name;
	struct sf_conn c;
	struct sf_pkt ack;
	uint8_t opt, back;
	int ts, bad = 0;

	/* SYN -> opt byte -> SYN-ACK TSval -> the ACK's TSecr -> opt. */
	opt = sf_cookie_opt_encode(&r->syn, (r->on & SF_COOKIE_ON_TS) != 0,
				   (r->on & SF_COOKIE_ON_WS) != 0,
				   (r->on & SF_COOKIE_ON_SACK) != 0);
	bad += EXPECT(n, "opt", opt, r->opt);
	ts = opt != SF_COOKIE_OPT_NONE;

	memset(&ack, 0, sizeof(ack));
	ack.kind = SF_PKT_TCP;
	ack.flow.family = r->family;
	ack.tcp_flags = SF_TCP_ACK;
	ack.seq = r->seq;
	ack.ack = r->ack;
	ack.window = r->win;
	ack.opts.wscale = SF_WSCALE_NONE;
	ack.opts.ts_ok = (uint8_t)ts;
	ack.opts.tsval = ts ? ACK_TSVAL : 0;
	ack.opts.tsecr = ts ? sf_cookie_tsval(NOW_MS, opt) : 0;
	back = sf_cookie_ts_opt(ack.opts.ts_ok, ack.opts.tsecr);
	bad += EXPECT(n, "opt from TSecr", back, opt);

	memset(&c, 0x5a, sizeof(c));	/* a recycled slot: all overwritten */
	sf_tcp_accept(&c, &ack, r->mss_idx, back, &pol, NOW_TSC);
	bad += EXPECT(n, "client_isn", c.client_isn, r->seq - 1);
	bad += EXPECT(n, "server_isn", c.server_isn, r->ack - 1);
	bad += EXPECT(n, "rcv_nxt", c.rcv_nxt, r->seq);
	bad += EXPECT(n, "snd_nxt", c.snd_nxt, r->ack);
	bad += EXPECT(n, "ts_recent", c.ts_recent, ts ? ACK_TSVAL : 0);
	bad += EXPECT(n, "snd_wnd", c.snd_wnd, r->snd_wnd);
	bad += EXPECT(n, "last_tsc", c.last_tsc, NOW_TSC);
	bad += EXPECT(n, "chal_t", c.chal_t, CHAL_T(NOW_TSC - GAP));
	bad += EXPECT(n, "snd_wl1", c.snd_wl1, r->seq);
	bad += EXPECT(n, "snd_wl2", c.snd_wl2, r->ack);
	bad += EXPECT(n, "mss", c.mss, r->mss);
	bad += EXPECT(n, "state", c.state, SF_CONN_ESTABLISHED);
	bad += EXPECT(n, "snd_wscale", c.snd_wscale, r->snd_wscale);
	bad += EXPECT(n, "rcv_wscale", c.rcv_wscale, r->rcv_wscale);
	bad += EXPECT(n, "flags", c.flags, r->flags);
	return bad;
}

static void
test_accept_table(void **state)
{
	unsigned int i;
	int bad = 0;

	(void)state;
	for (i = 0; i < RTE_DIM(accept_rows); i++)
		bad += accept_row_check(&accept_rows[i]);
	assert_int_equal(bad, 0);
}

/*
 * The handshake's ACK carrying data and FIN (test_respond.c's
 * test_ack_with_data): accepted, then the same segment goes through
 * sf_tcp_input(): its data is at RCV.NXT, its ACK is SND.NXT.
 */
static void
test_accept_then_input(void **state)
{
	const struct sf_tcp_policy pol = { .window = WND, .wscale = RWS };
	struct sf_tcp_action a;
	struct sf_conn c;
	struct sf_pkt p;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.kind = SF_PKT_TCP;
	p.flow.family = SF_AF_INET;
	p.tcp_flags = SF_TCP_ACK | SF_TCP_FIN;
	p.seq = 4322;
	p.ack = 0xc0ffee01;
	p.window = 29200;
	p.payload_len = 2;
	sf_tcp_accept(&c, &p, 0, SF_COOKIE_OPT_NONE, &pol, 1);
	sf_tcp_input(&c, NULL, &p, &pol, 2, 2, 2, &a);
	assert_int_equal(a.reply, SF_TCP_RE_FIN_ACK);
	assert_int_equal(a.reply_seq, 0xc0ffee01);
	assert_int_equal(a.events, SF_TCP_EV_DATA | SF_TCP_EV_FIN);
	assert_int_equal(a.data_seq, 4322);
	assert_int_equal(a.data_len, 2);
	assert_int_equal(c.rcv_nxt, 4322 + 2 + 1);
	assert_int_equal(c.snd_nxt, 0xc0ffee02);
	assert_int_equal(c.state, SF_CONN_LAST_ACK);
}

/* ------------------------------------------------------------------ */
/* sf_tcp_reply_fill(): the segment our reply carries                  */

struct reply_row {
	const char *name;
	uint8_t conn_flags;
	uint8_t rcv_wscale;
	uint32_t rcv_nxt;
	uint32_t ts_recent;
	struct sf_tcp_policy pol;
	uint32_t seq;
	uint8_t flags;
	uint32_t now_ms;
	struct sf_tcp_reply want;
};

static const struct reply_row reply_rows[] = {
	{ "ACK, timestamps: TSval = clock, TSecr = TS.Recent",
	  SF_CONN_F_TS, 0, RN, TSR, POL, SN, SF_TCP_ACK, NOW_MS,
	  { .seq = SN, .ack = RN, .window = WND, .flags = SF_TCP_ACK,
	    .wscale = SF_WSCALE_NONE, .ts_ok = 1, .tsval = NOW_MS,
	    .tsecr = TSR } },
	{ "ACK, no timestamps: no options",
	  0, 0, RN, 0, POL, SN, SF_TCP_ACK, NOW_MS,
	  { .seq = SN, .ack = RN, .window = WND, .flags = SF_TCP_ACK,
	    .wscale = SF_WSCALE_NONE } },
	{ "FIN|ACK, timestamps",
	  SF_CONN_F_TS, 0, RN + 1, TSN, POL, SN, SF_TCP_FIN | SF_TCP_ACK, 1,
	  { .seq = SN, .ack = RN + 1, .window = WND,
	    .flags = SF_TCP_FIN | SF_TCP_ACK, .wscale = SF_WSCALE_NONE,
	    .ts_ok = 1, .tsval = 1, .tsecr = TSN } },
	{ "FIN|ACK, no timestamps",
	  0, 0, RN + 1, 0, POL, SN, SF_TCP_FIN | SF_TCP_ACK, 1,
	  { .seq = SN, .ack = RN + 1, .window = WND,
	    .flags = SF_TCP_FIN | SF_TCP_ACK, .wscale = SF_WSCALE_NONE } },
	{ "SACK and scaling: no SACK-permitted or wscale outside SYNs",
	  SF_CONN_F_TS | SF_CONN_F_SACK | SF_TCP_CONN_F_WS, RWS, RN, TSR, POL,
	  SN, SF_TCP_ACK, 0xffffffff,
	  { .seq = SN, .ack = RN, .window = WND, .flags = SF_TCP_ACK,
	    .wscale = SF_WSCALE_NONE, .ts_ok = 1, .tsval = 0xffffffff,
	    .tsecr = TSR } },
	{ "window field as configured (unscaled field)",
	  SF_TCP_CONN_F_WS, RWS, RN, 0, { .window = 1024, .wscale = RWS },
	  SN, SF_TCP_ACK, 0,
	  { .seq = SN, .ack = RN, .window = 1024, .flags = SF_TCP_ACK,
	    .wscale = SF_WSCALE_NONE } },
	{ "TS.Recent 0 echoed as is",
	  SF_CONN_F_TS, 0, 0, 0, POL, 0, SF_TCP_ACK, 5,
	  { .seq = 0, .ack = 0, .window = WND, .flags = SF_TCP_ACK,
	    .wscale = SF_WSCALE_NONE, .ts_ok = 1, .tsval = 5, .tsecr = 0 } },
};

static int
reply_row_check(const struct reply_row *r)
{
	const char *n = r->name;
	const struct sf_tcp_reply *w = &r->want;
	struct sf_tcp_reply tr;
	struct sf_conn c;
	int bad = 0;

	memset(&c, 0, sizeof(c));
	c.state = SF_CONN_ESTABLISHED;
	c.flags = r->conn_flags;
	c.rcv_wscale = r->rcv_wscale;
	c.snd_wscale = SWS;
	c.rcv_nxt = r->rcv_nxt;
	c.snd_nxt = r->seq + 7;	/* the seq given wins */
	c.ts_recent = r->ts_recent;
	c.mss = MSS;
	memset(&tr, 0xa5, sizeof(tr));
	sf_tcp_reply_fill(&c, &r->pol, r->seq, r->flags, r->now_ms, &tr);
	bad += EXPECT(n, "seq", tr.seq, w->seq);
	bad += EXPECT(n, "ack", tr.ack, w->ack);
	bad += EXPECT(n, "window", tr.window, w->window);
	bad += EXPECT(n, "flags", tr.flags, w->flags);
	bad += EXPECT(n, "wscale", tr.wscale, w->wscale);
	bad += EXPECT(n, "mss", tr.mss, w->mss);
	bad += EXPECT(n, "sack_ok", tr.sack_ok, w->sack_ok);
	bad += EXPECT(n, "ts_ok", tr.ts_ok, w->ts_ok);
	bad += EXPECT(n, "tsval", tr.tsval, w->tsval);
	bad += EXPECT(n, "tsecr", tr.tsecr, w->tsecr);
	return bad;
}

static void
test_reply_fill_table(void **state)
{
	unsigned int i;
	int bad = 0;

	(void)state;
	for (i = 0; i < RTE_DIM(reply_rows); i++)
		bad += reply_row_check(&reply_rows[i]);
	assert_int_equal(bad, 0);
}

/* ------------------------------------------------------------------ */
/* sf_tcp_may_queue(): payload, FIN or RST                             */

static void
test_may_queue_table(void **state)
{
	static const struct {
		const char *name;
		uint8_t flags;
		uint16_t len;
		int want;
		uint8_t state;	/* the entry's; 0: ESTABLISHED */
	} rows[] = {
		{ "pure ACK", SF_TCP_ACK, 0, 0 },
		{ "PSH|ACK without payload", SF_TCP_ACK | SF_TCP_PSH, 0, 0 },
		{ "SYN", SF_TCP_SYN, 0, 0 },
		{ "SYN|ACK", SF_TCP_SYN | SF_TCP_ACK, 0, 0 },
		{ "URG|ECE|CWR|ACK", SF_TCP_URG | SF_TCP_ECE | SF_TCP_CWR |
		  SF_TCP_ACK, 0, 0 },
		{ "no flags", 0, 0, 0 },
		{ "ACK with 1 byte", SF_TCP_ACK, 1, 1 },
		{ "ACK with 65535 bytes", SF_TCP_ACK, 65535, 1 },
		{ "FIN", SF_TCP_FIN, 0, 1 },
		{ "FIN|ACK", SF_TCP_FIN | SF_TCP_ACK, 0, 1 },
		{ "RST", SF_TCP_RST, 0, 1 },
		{ "RST|ACK", SF_TCP_RST | SF_TCP_ACK, 0, 1 },
		{ "SYN with payload", SF_TCP_SYN, 10, 1 },
		{ "SYN|FIN", SF_TCP_SYN | SF_TCP_FIN, 0, 1 },
		/* A RESET entry: any segment may retry its RST event. */
		{ "RESET: pure ACK", SF_TCP_ACK, 0, 1, SF_CONN_RESET },
		{ "RESET: SYN", SF_TCP_SYN, 0, 1, SF_CONN_RESET },
		{ "LAST_ACK: pure ACK", SF_TCP_ACK, 0, 0, SF_CONN_LAST_ACK },
	};
	unsigned int i;
	int bad = 0;

	(void)state;
	for (i = 0; i < RTE_DIM(rows); i++) {
		struct sf_conn c;
		struct sf_pkt p;

		memset(&c, 0, sizeof(c));
		c.state = rows[i].state != 0 ? rows[i].state : EST;
		memset(&p, 0, sizeof(p));
		p.kind = SF_PKT_TCP;
		p.tcp_flags = rows[i].flags;
		p.payload_len = rows[i].len;
		bad += EXPECT(rows[i].name, "may_queue",
			      sf_tcp_may_queue(&c, &p) != 0, rows[i].want);
	}
	assert_int_equal(bad, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_input_table),
		cmocka_unit_test(test_input_table_shifted),
		cmocka_unit_test(test_input_table_flow_limited),
		cmocka_unit_test(test_flow_limit_steps),
		cmocka_unit_test(test_window_update_table),
		cmocka_unit_test(test_accept_table),
		cmocka_unit_test(test_accept_then_input),
		cmocka_unit_test(test_reply_fill_table),
		cmocka_unit_test(test_may_queue_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
