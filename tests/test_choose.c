/* Unit tests for choose: parsing workloads, the cost formula, rounding,
 * finding a model, and the exact ranking of tests/fixtures/choose (five
 * hosts of open-70b at known prices: a tie, a cached price, an unpriced
 * offer, a stale live price, an old declared one, and a router). */
#include <math.h>
#include <stdbool.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "build.h"
#include "catalog.h"
#include "choose.h"
#include "diag.h"
#include "listing.h"
#include "mustache.h"
#include "validate.h"
#include "view.h"

#define FIXTURE "tests/fixtures/choose"
#include "view_fixture.h"

/* ---- parsing ---- */

static void test_tokens_suffixes(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		double tokens;
	} cases[] = {
	    {"50M", 50e6},   {"2.5B", 2.5e9}, {"100k", 100e3},
	    {"100K", 100e3}, {"7m", 7e6},     {"1e6", 1e6},
	    {".5M", 500e3},  {"0.5k", 500},   {"300000000", 300e6},
	    {"0", 0},	     {"1.5", 2},      {"1e15", 1e15},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double v = -1;
		const char *why = NULL;
		assert_int_equal(choose_parse_tokens(cases[i].text, &v, &why),
				 0);
		assert_true(v == cases[i].tokens);
	}
}

static void test_tokens_bad(void **state)
{
	(void)state;
	static const struct {
		const char *text, *why;
	} cases[] = {
	    {"12x", "is not a number"},
	    {"-5", "is negative"},
	    {"1e400", "is too large"},
	    {"1e400M", "is too large"},
	    {"", "is empty"},
	    {"M", "is not a number"},
	    {"5MM", "is not a number"},
	    {" 5", "is not a number"},
	    {"5 ", "is not a number"},
	    {"+5", "is not a number"},
	    {"0x10", "is not a number"},
	    {"inf", "is not a number"},
	    {"nan", "is not a number"},
	    {"1e", "is not a number"},
	    {".", "is not a number"},
	    {"2e15", "is more than 1e15 tokens"},
	    {"1.1e6B", "is more than 1e15 tokens"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double v = 42;
		const char *why = NULL;
		assert_int_equal(choose_parse_tokens(cases[i].text, &v, &why),
				 -1);
		assert_string_equal(why, cases[i].why);
		assert_true(v == 42);
	}
}

static void test_share_usd_require(void **state)
{
	(void)state;
	double v;
	const char *why;
	bool compat = false;
	assert_int_equal(choose_parse_share("0.25", &v, &why), 0);
	assert_true(v == 0.25);
	assert_int_equal(choose_parse_share("1", &v, &why), 0);
	assert_int_equal(choose_parse_share("1.01", &v, &why), -1);
	assert_string_equal(why, "is not between 0 and 1");
	assert_int_equal(choose_parse_share("-0.1", &v, &why), -1);
	assert_string_equal(why, "is negative");
	assert_int_equal(choose_parse_share("50%", &v, &why), -1);
	assert_int_equal(choose_parse_share("5k", &v, &why), -1);
	assert_int_equal(choose_parse_usd("1500.50", &v, &why), 0);
	assert_true(v == 1500.5);
	assert_int_equal(choose_parse_usd("2e12", &v, &why), -1);
	assert_string_equal(why, "is more than 1e12 dollars");
	assert_int_equal(choose_parse_require("openai-compatible", &compat), 0);
	assert_true(compat);
	assert_int_equal(
	    choose_parse_require("openai-compatible,fast", &compat), -1);
	assert_int_equal(choose_parse_require("openai", &compat), -1);
}

/* ---- costs and rounding ---- */

static void test_cost_formula(void **state)
{
	(void)state;
	/* 50M at 0.4, 50M cached at 0.1, 20M out at 1.2 */
	assert_float_equal(choose_monthly_cost(100e6, 20e6, 0.5, 0.4, 1.2, 0.1),
			   49.0, 1e-9);
	/* no cached price: cached tokens at the input price */
	assert_float_equal(choose_monthly_cost(100e6, 20e6, 0.5, 0.4, 1.2, NAN),
			   64.0, 1e-9);
	/* a price the workload needs is missing */
	assert_true(isnan(choose_monthly_cost(1e6, 1e6, 0, NAN, 1, NAN)));
	assert_true(isnan(choose_monthly_cost(1e6, 1e6, 0, 1, NAN, NAN)));
	/* one it does not need is not */
	assert_float_equal(choose_monthly_cost(1e6, 0, 0, 2, NAN, NAN), 2.0, 0);
	assert_float_equal(choose_monthly_cost(1e6, 0, 1, NAN, NAN, 0.5), 0.5,
			   0);
	assert_float_equal(choose_monthly_cost(0, 0, 0, NAN, NAN, NAN), 0.0, 0);
}

static void test_format_usd(void **state)
{
	(void)state;
	char out[32];
	assert_string_equal(choose_format_usd(1234.5, out), "$1,234.50");
	assert_string_equal(choose_format_usd(0, out), "$0.00");
	assert_string_equal(choose_format_usd(0.005, out), "$0.01");
	assert_string_equal(choose_format_usd(0.0049, out), "$0.00");
	assert_string_equal(choose_format_usd(999.995, out), "$1,000.00");
	assert_string_equal(choose_format_usd(1e6, out), "$1,000,000.00");
	assert_string_equal(choose_format_usd(9999999999999.99, out),
			    "$9,999,999,999,999.99");
	assert_string_equal(choose_format_usd(1e13, out),
			    "over $10,000,000,000,000");
	assert_string_equal(choose_format_usd(NAN, out), "");
	assert_int_equal(choose_cents(0.125), 13); /* half up, not even */
	assert_string_equal(choose_age_label(0, out), "0 days old");
	assert_string_equal(choose_age_label(1, out), "1 day old");
	assert_string_equal(choose_age_label(208, out), "208 days old");
	assert_string_equal(choose_age_label(-1, out), "date unknown");
}

/* choose shows the view's price labels, made by
 * listing_format_price_display: at least two decimals. */
static void test_price_label(void **state)
{
	(void)state;
	char out[32];
	assert_string_equal(listing_format_price_display(0.1, out), "0.10");
	assert_string_equal(listing_format_price_display(0.3, out), "0.30");
	assert_string_equal(listing_format_price_display(2, out), "2.00");
	assert_string_equal(listing_format_price_display(1.0, out), "1.00");
	assert_string_equal(listing_format_price_display(0.135, out), "0.135");
	assert_string_equal(listing_format_price_display(0.013, out), "0.013");
	assert_string_equal(listing_format_price_display(12.25, out), "12.25");
	assert_string_equal(listing_format_price_display(NAN, out), "");
	assert_string_equal(listing_format_price_display(1.5e15, out),
			    "1.5e+15");
}

static const struct choose_query S_base = {
    .model_id = "open-70b",
    .input_tokens = 100e6,
    .output_tokens = 20e6,
    .max_monthly = -1,
};

/* "id:label,id:label" of a ranking, for one exact comparison. */
static char *S_order(json_t *rows)
{
	struct buf b = BUF_INIT;
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
	{
		buf_printf(
		    &b, "%s%s:%s", i ? "," : "",
		    json_string_value(json_object_get(row, "vendor_id")),
		    json_string_value(json_object_get(row, "monthly_label")));
	}
	return buf_detach(&b, NULL);
}

static void S_expect(json_t *view, const struct choose_query *q,
		     const char *ranking, const char *no_price)
{
	json_t *res = choose_rank(view, q);
	assert_non_null(res);
	char *got = S_order(json_object_get(res, "ranking"));
	assert_string_equal(got, ranking);
	free(got);
	got = S_order(json_object_get(res, "no_price"));
	assert_string_equal(got, no_price);
	free(got);
	json_decref(res);
}

static json_int_t S_int(json_t *obj, const char *key)
{
	return json_integer_value(json_object_get(obj, key));
}

static void test_rank_fixture(void **state)
{
	json_t *view = *state;
	json_t *res = choose_rank(view, &S_base);
	assert_non_null(res);
	char *got = S_order(json_object_get(res, "ranking"));
	/* epsilon: live 0.2/0.6 (stale); gamma 0.4/1.2; alpha and beta tie
	 * at 0.5/1, alpha first by id; the router last */
	assert_string_equal(got, "epsilon:$32.00,gamma:$64.00,alpha:$70.00,"
				 "beta:$70.00,routerx:$77.00");
	free(got);
	json_t *rank = json_object_get(res, "ranking");
	static const struct {
		json_int_t rank, age;
		const char *origin;
		int stale, old;
	} rows[] = {
	    {1, 1, "live", 1, 1},     {2, 208, "declared", 0, 1},
	    {3, 5, "declared", 0, 0}, {4, 5, "declared", 0, 0},
	    {5, 1, "declared", 0, 0},
	};
	for (size_t i = 0; i < 5; i++) {
		json_t *row = json_array_get(rank, i);
		assert_int_equal(S_int(row, "rank"), rows[i].rank);
		assert_int_equal(S_int(row, "age_days"), rows[i].age);
		assert_string_equal(
		    json_string_value(json_object_get(row, "origin")),
		    rows[i].origin);
		assert_int_equal(json_is_true(json_object_get(row, "stale")),
				 rows[i].stale);
		assert_int_equal(json_is_true(json_object_get(row, "old")),
				 rows[i].old);
	}
	assert_float_equal(json_real_value(json_object_get(
			       json_array_get(rank, 0), "monthly")),
			   32.0, 1e-9);
	assert_string_equal(json_string_value(json_object_get(
				json_array_get(rank, 0), "price_date")),
			    "2026-11-24");
	/* prices with at least two decimals: 0.2 and 0.6 */
	assert_string_equal(json_string_value(json_object_get(
				json_array_get(rank, 0), "input")),
			    "0.20");
	assert_string_equal(json_string_value(json_object_get(
				json_array_get(rank, 0), "output")),
			    "0.60");
	assert_true(
	    json_is_true(json_object_get(json_array_get(rank, 4), "router")));
	/* the router's row is marked and the result says there is one */
	assert_string_equal(json_string_value(json_object_get(
				json_array_get(rank, 4), "vendor_label")),
			    "RouterX (router)");
	assert_string_equal(json_string_value(json_object_get(
				json_array_get(rank, 0), "vendor_label")),
			    "Epsilon");
	assert_true(json_is_true(json_object_get(res, "has_router")));
	/* beta's context window (32,768) is below the model's (131,072) */
	assert_true(json_is_true(
	    json_object_get(json_array_get(rank, 3), "context_short")));
	assert_string_equal(json_string_value(json_object_get(
				json_array_get(rank, 3), "context_note")),
			    "less than the model's 131,072");
	assert_false(json_is_true(
	    json_object_get(json_array_get(rank, 2), "context_short")));
	assert_true(json_is_null(
	    json_object_get(json_array_get(rank, 2), "context_note")));
	got = S_order(json_object_get(res, "no_price"));
	assert_string_equal(got, "delta:");
	free(got);
	json_t *resil = json_object_get(res, "resilience");
	assert_int_equal(S_int(resil, "hosts"), 5);
	assert_int_equal(S_int(resil, "hosts_meeting"), 5);
	assert_string_equal(
	    json_string_value(json_object_get(resil, "router_names")),
	    "RouterX");
	/* open-70b names lab-mini and two-max: both, cheapest first */
	json_t *front = json_object_get(res, "frontier");
	assert_true(json_is_true(json_object_get(front, "named")));
	assert_int_equal(S_int(front, "candidates"), 2);
	got = S_order(json_object_get(front, "alternatives"));
	assert_string_equal(got, "labco:$7.00,labtwo:$325.00");
	free(got);
	assert_string_equal(
	    json_string_value(json_object_get(
		json_object_get(front, "cheapest"), "model_id")),
	    "lab-mini");
	assert_string_equal(
	    json_string_value(json_object_get(res, "data_date")), "2026-11-25");
	json_decref(res);
}

/* A model that names no alternatives: only the cheapest other closed
 * model on its lab's API with at least its context. */
static void test_frontier_fallback(void **state)
{
	json_t *view = *state;
	struct choose_query q = S_base;
	q.model_id = "lab-mini"; /* 32,000 tokens: lab-pro and two-max fit */
	json_t *res = choose_rank(view, &q);
	json_t *front = json_object_get(res, "frontier");
	assert_false(json_is_true(json_object_get(front, "named")));
	assert_int_equal(S_int(front, "candidates"), 2); /* not itself */
	char *got = S_order(json_object_get(front, "alternatives"));
	assert_string_equal(got, "labtwo:$325.00");
	free(got);
	json_decref(res);
	/* lab-pro (200,000): only two-max has the context */
	q.model_id = "lab-pro";
	res = choose_rank(view, &q);
	front = json_object_get(res, "frontier");
	assert_int_equal(S_int(front, "candidates"), 1);
	got = S_order(json_object_get(front, "alternatives"));
	assert_string_equal(got, "labtwo:$325.00");
	free(got);
	json_decref(res);
}

static void test_rank_workloads(void **state)
{
	json_t *view = *state;
	struct choose_query q = S_base;
	/* half the input cached: only gamma has a cached price */
	q.cached_share = 0.5;
	S_expect(view, &q,
		 "epsilon:$32.00,gamma:$49.00,alpha:$70.00,beta:$70.00,"
		 "routerx:$77.00",
		 "delta:");
	/* output only: the tie stays in vendor order */
	q = S_base;
	q.input_tokens = 0;
	q.output_tokens = 2.5e9;
	S_expect(view, &q,
		 "epsilon:$1,500.00,alpha:$2,500.00,beta:$2,500.00,"
		 "routerx:$2,750.00,gamma:$3,000.00",
		 "delta:");
	/* a workload too small to show: still ranked by the raw cost */
	q = S_base;
	q.input_tokens = 1000;
	q.output_tokens = 0;
	S_expect(view, &q,
		 "epsilon:$0.00,gamma:$0.00,alpha:$0.00,beta:$0.00,"
		 "routerx:$0.00",
		 "delta:");
}

static void test_rank_requirements(void **state)
{
	json_t *view = *state;
	struct choose_query q = S_base;
	q.require_compatible = true;
	json_t *res = choose_rank(view, &q);
	char *got = S_order(json_object_get(res, "ranking"));
	assert_string_equal(got, "epsilon:$32.00,alpha:$70.00,beta:$70.00,"
				 "routerx:$77.00");
	free(got);
	assert_int_equal(S_int(res, "excluded"), 1);
	assert_int_equal(
	    S_int(json_object_get(res, "resilience"), "hosts_meeting"), 4);
	json_decref(res);

	q = S_base;
	q.layer = "hyperscaler";
	S_expect(view, &q, "gamma:$64.00", "");
	/* sold through routerx: the vendors that list it, and itself */
	q = S_base;
	q.via = "routerx";
	S_expect(view, &q,
		 "epsilon:$32.00,alpha:$70.00,beta:$70.00,routerx:$77.00", "");
	/* the limit is compared in cents: $70.00 passes */
	q = S_base;
	q.max_monthly = 70;
	res = choose_rank(view, &q);
	got = S_order(json_object_get(res, "ranking"));
	assert_string_equal(
	    got, "epsilon:$32.00,gamma:$64.00,alpha:$70.00,beta:$70.00");
	free(got);
	assert_int_equal(S_int(res, "over_budget"), 1);
	json_decref(res);
	q.model_id = "no-such-model";
	assert_null(choose_rank(view, &q));
}

static void test_find_model(void **state)
{
	json_t *view = *state;
	struct buf err = BUF_INIT;
	static const char *const names[] = {
	    "open-70b", "OPEN 70B instruct", "eps/open-70b", "EPS/OPEN-70B",
	    "Open-70B", "gamma.open-70b-v1",
	    /* normalised: case, spaces, hyphens, underscores, dots */
	    "OPEN-70B", "open_70b", "Open-70B-Instruct", "open.70b.instruct",
	    "open70b", "  open 70b  ", "Open70BInstruct"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *id = choose_find_model(view, names[i], &err);
		assert_non_null(id);
		assert_string_equal(id, "open-70b");
	}
	assert_string_equal(choose_find_model(view, "lab-pro-1", &err),
			    "lab-pro");
	assert_null(choose_find_model(view, "open-71b", &err));
	assert_string_equal(buf_cstr(&err),
			    "unknown model 'open-71b'; did you mean open-70b?");
	buf_reset(&err);
	assert_null(choose_find_model(view, "lab", &err));
	assert_string_equal(buf_cstr(&err), "unknown model 'lab'; did you "
					    "mean lab-pro, lab-mini?");
	buf_reset(&err);
	/* containment: a longer name or a prefix */
	buf_reset(&err);
	assert_null(choose_find_model(view, "open-70b-instruct-fast", &err));
	assert_string_equal(buf_cstr(&err),
			    "unknown model 'open-70b-instruct-fast'; did you "
			    "mean open-70b?");
	buf_reset(&err);
	assert_null(choose_find_model(view, "Open", &err));
	assert_string_equal(buf_cstr(&err),
			    "unknown model 'Open'; did you mean open-70b?");
	buf_reset(&err);
	assert_null(choose_find_model(view, "LAB_MINI_2", &err));
	assert_string_equal(
	    buf_cstr(&err),
	    "unknown model 'LAB_MINI_2'; did you mean lab-mini?");
	buf_reset(&err);
	assert_null(choose_find_model(view, "zzzzzzzzzz", &err));
	assert_string_equal(buf_cstr(&err), "unknown model 'zzzzzzzzzz'");
	buf_release(&err);
}

static void test_find_model_ambiguous(void **state)
{
	(void)state;
	struct buf err = BUF_INIT;
	json_t *view =
	    json_pack("{s:[{s:s, s:s}, {s:s, s:s}],"
		      " s:[{s:s, s:s}, {s:s, s:s}, {s:s, s:s}]}",
		      "models", "id", "a-1", "name", "A", "id", "b-1", "name",
		      "B", "offers", "remote_id", "shared", "model_id", "a-1",
		      "remote_id", "shared", "model_id", "b-1", "remote_id",
		      "only-b", "model_id", "b-1");
	assert_null(choose_find_model(view, "shared", &err));
	assert_string_equal(buf_cstr(&err),
			    "'shared' is a remote id of several models: a-1, "
			    "b-1; name one by its id");
	assert_string_equal(choose_find_model(view, "ONLY-B", &err), "b-1");
	/* normalised: the last part of a remote id */
	assert_string_equal(choose_find_model(view, "only_b", &err), "b-1");
	json_decref(view);
	/* normalised, several models: ambiguous, listed */
	view = json_pack("{s:[{s:s, s:s}, {s:s, s:s}], s:[]}", "models", "id",
			 "x-1", "name", "X One", "id", "x1", "name", "X.1",
			 "offers");
	buf_reset(&err);
	assert_null(choose_find_model(view, "X_1", &err));
	assert_string_equal(buf_cstr(&err), "'X_1' could name several models: "
					    "x-1, x1; name one by its id");
	buf_reset(&err);
	assert_string_equal(choose_find_model(view, "x-1", &err), "x-1");
	buf_release(&err);
	json_decref(view);
}

static void test_page(void **state)
{
	json_t *view = *state;
	json_t *page = choose_page(view, false);
	/* no llama-3.3-70b here: the model with most hosts */
	assert_string_equal(json_string_value(json_object_get(
				json_object_get(page, "default_model"), "id")),
			    "open-70b");
	/* --via on the page: routerx sells for the vendors that name it */
	json_t *vendors = json_object_get(page, "vendors");
	json_t *routerx = NULL;
	size_t k;
	json_t *v;
	json_array_foreach(vendors, k, v)
	{
		if (strcmp(json_string_value(json_object_get(v, "id")),
			   "routerx") == 0)
			routerx = v;
	}
	assert_non_null(routerx);
	assert_string_equal(
	    json_string_value(json_object_get(routerx, "sellers")),
	    "alpha beta epsilon");
	/* the model's named alternatives, for the script */
	json_array_foreach(json_object_get(page, "models"), k, v)
	{
		if (strcmp(json_string_value(json_object_get(v, "id")),
			   "open-70b") == 0)
			assert_string_equal(json_string_value(json_object_get(
						v, "alternatives")),
					    "lab-mini two-max");
	}
	json_t *presets = json_object_get(page, "presets");
	assert_int_equal(json_array_size(presets), 3);
	static const char *const want[] = {
	    "epsilon:$78.00,gamma:$156.00,alpha:$180.00,beta:$180.00,"
	    "routerx:$198.00",
	    "epsilon:$41.20,gamma:$82.40,alpha:$102.00,beta:$102.00,"
	    "routerx:$112.20",
	    "epsilon:$32.00,gamma:$64.00,alpha:$70.00,beta:$70.00,"
	    "routerx:$77.00"};
	for (size_t i = 0; i < 3; i++) {
		json_t *result =
		    json_object_get(json_array_get(presets, i), "result");
		char *got = S_order(json_object_get(result, "ranking"));
		assert_string_equal(got, want[i]);
		free(got);
		assert_true(
		    json_is_true(json_object_get(result, "has_no_price")));
	}
	assert_string_equal(json_string_value(json_object_get(
				json_array_get(presets, 0), "input_short")),
			    "300M");
	json_t *offers = json_object_get(page, "offers");
	size_t i, frontier = 0;
	json_t *o;
	assert_int_equal(json_array_size(offers), 9);
	json_array_foreach(offers, i, o)
	{
		frontier += json_is_true(json_object_get(o, "frontier"));
	}
	assert_int_equal(frontier, 3);
	json_decref(page);
}

/* choose_rows_text gives, for every offer and every key of its ROW but
 * the labels, the text of the ROW that choose_rows_row makes; and the
 * split page keeps only the default model's and the frontier rows. */
static void test_rows_text(void **state)
{
	json_t *view = *state;
	struct choose_rows *c = choose_rows_new(view);
	struct buf scratch = BUF_INIT;
	size_t i, checked = 0, routers = 0;
	json_t *offer;
	json_array_foreach(json_object_get(view, "offers"), i, offer)
	{
		json_t *row = choose_rows_row(c, offer);
		const char *key;
		json_t *value;
		json_object_foreach(row, key, value)
		{
			if (strcmp(key, "monthly_label") == 0 ||
			    strcmp(key, "age_label") == 0)
				continue;
			char want_num[40], got_num[40];
			size_t want_len = 0, got_len = 0;
			const char *want =
			    mustache_scalar_text(value, want_num, &want_len);
			const char *got = choose_rows_text(
			    c, offer, key, got_num, &got_len, &scratch);
			if ((want == NULL) != (got == NULL) ||
			    (want && (want_len != got_len ||
				      memcmp(want, got, want_len) != 0)))
				fail_msg("offer %zu, %s: row has %s, text %s",
					 i, key, want ? want : "(null)",
					 got ? got : "(null)");
			checked++;
		}
		routers += json_is_true(json_object_get(row, "router"));
		json_decref(row);
	}
	/* the fixture exercises the computed keys both ways */
	assert_true(checked > 200);
	assert_true(routers > 0);
	buf_release(&scratch);
	choose_rows_free(c);

	/* split: the full page's rows that are frontier or the default
	 * model's, no others, in the same order */
	json_t *full = choose_page(view, false);
	json_t *page = choose_page(view, true);
	json_t *kept = json_object_get(page, "offers");
	size_t k = 0;
	json_t *row;
	json_array_foreach(json_object_get(full, "offers"), i, row)
	{
		bool keep =
		    json_is_true(json_object_get(row, "frontier")) ||
		    strcmp(json_string_value(json_object_get(row, "model_id")),
			   "open-70b") == 0;
		if (!keep)
			continue;
		assert_true(json_equal(row, json_array_get(kept, k)));
		k++;
	}
	assert_int_equal(k, json_array_size(kept));
	assert_true(k > 0);
	assert_string_equal(json_string_value(json_object_get(page, "split")),
			    "api/choose/");
	assert_true(json_is_null(json_object_get(full, "split")));
	json_decref(full);
	json_decref(page);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tokens_suffixes),
	    cmocka_unit_test(test_tokens_bad),
	    cmocka_unit_test(test_share_usd_require),
	    cmocka_unit_test(test_cost_formula),
	    cmocka_unit_test(test_format_usd),
	    cmocka_unit_test(test_price_label),
	    cmocka_unit_test(test_rank_fixture),
	    cmocka_unit_test(test_frontier_fallback),
	    cmocka_unit_test(test_rank_workloads),
	    cmocka_unit_test(test_rank_requirements),
	    cmocka_unit_test(test_find_model),
	    cmocka_unit_test(test_find_model_ambiguous),
	    cmocka_unit_test(test_page),
	    cmocka_unit_test(test_rows_text),
	};
	return cmocka_run_group_tests(tests, view_fixture_setup,
				      view_fixture_teardown);
}
