/* Tests of the API adapters: recorded real responses (from
 * $STACKMAP_SHARED/realdata, default ../shared) parsed to exact values,
 * hand-made bodies for styles without a recording, the requests each
 * adapter asks for, pagination, unit conversions, and garbage. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "adapter.h"
#include "buf.h"
#include "listing.h"
#include "xalloc.h"

/* ---- helpers ---------------------------------------------------------- */

/* The realdata directory, or NULL (with the skip notice printed) when the
 * shared tree is not there. Caller frees. */
static char *S_realdata_dir(void)
{
	const char *shared = getenv("STACKMAP_SHARED");
	struct buf dir = BUF_INIT;
	struct stat st;

	buf_printf(&dir, "%s/realdata",
		   shared && *shared ? shared : "../shared");
	if (stat(buf_cstr(&dir), &st) != 0 || !S_ISDIR(st.st_mode)) {
		buf_release(&dir);
		print_message("realdata not found: skipped\n");
		return NULL;
	}
	return buf_detach(&dir, NULL);
}

/* Reads realdata/<rel> whole; skips the test when realdata is absent and
 * fails it when realdata is there but the file is not. Caller frees. */
static char *S_realdata(const char *rel, size_t *len)
{
	char *dir = S_realdata_dir();
	if (!dir) {
		skip();
		return NULL;
	}
	struct buf path = BUF_INIT;
	struct buf body = BUF_INIT;
	char chunk[8192];
	size_t n;

	buf_printf(&path, "%s/%s", dir, rel);
	FILE *f = fopen(buf_cstr(&path), "rb");
	if (!f)
		print_error("cannot open %s\n", buf_cstr(&path));
	assert_non_null(f);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&body, chunk, n);
	fclose(f);
	buf_release(&path);
	free(dir);
	return buf_detach(&body, len);
}

static struct adapter_ctx S_ctx(const char *vendor, const char *base,
				const char *key)
{
	struct adapter_ctx ctx;
	memset(&ctx, 0, sizeof(ctx));
	ctx.vendor_id = vendor;
	ctx.base_url = base;
	ctx.key = key;
	return ctx;
}

/* Parses one page with the adapter of style. Returns its result; err and
 * next are left for the caller to inspect and release. */
static int S_parse_ctx(const char *style, const struct adapter_ctx *ctx,
		       const char *body, size_t len, struct listing *out,
		       struct http_request *next, struct buf *err)
{
	const struct adapter *a = adapter_find(style);
	assert_non_null(a);
	return a->parse_page(ctx, body, len, out, next, err);
}

/* Parses a one-page body that must succeed and ask for no next page. */
static void S_parse_ok(const char *style, const char *vendor, const char *body,
		       size_t len, struct listing *out)
{
	struct adapter_ctx ctx = S_ctx(vendor, NULL, NULL);
	struct http_request next;
	struct buf err = BUF_INIT;

	http_request_init(&next);
	int rc = S_parse_ctx(style, &ctx, body, len, out, &next, &err);
	if (rc != 0)
		print_error("%s: %s\n", style, buf_cstr(&err));
	assert_int_equal(rc, 0);
	assert_null(next.url);
	http_request_release(&next);
	buf_release(&err);
}

/* Parses body, which must fail; returns the message (caller frees). */
static char *S_parse_fail(const char *style, const char *body)
{
	struct adapter_ctx ctx = S_ctx("v", "https://example.test/v1", NULL);
	struct listing out;
	struct http_request next;
	struct buf err = BUF_INIT;

	listing_init(&out);
	http_request_init(&next);
	int rc =
	    S_parse_ctx(style, &ctx, body, strlen(body), &out, &next, &err);
	assert_int_equal(rc, -1);
	assert_null(next.url);
	assert_true(err.len > 0);
	listing_release(&out);
	http_request_release(&next);
	return buf_detach(&err, NULL);
}

static const struct listing_entry *S_get(struct listing *l, const char *id)
{
	const struct listing_entry *e = listing_find(l, id);
	if (!e)
		print_error("no entry '%s'\n", id);
	assert_non_null(e);
	return e;
}

/* The printed form of a price, as every output shows it. */
#define PRICE(v) listing_format_price((v), (char[32]){0})

static void S_assert_entry(struct listing *l, const char *id, const char *name,
			   long context, const char *input, const char *output,
			   const char *cached)
{
	const struct listing_entry *e = S_get(l, id);
	if (name)
		assert_string_equal(e->name, name);
	else
		assert_null(e->name);
	assert_int_equal(e->context, context);
	assert_string_equal(PRICE(e->input), input);
	assert_string_equal(PRICE(e->output), output);
	assert_string_equal(PRICE(e->cached_input), cached);
}

/* Whether req has exactly header h, and whether it is marked secret. */
static int S_header(const struct http_request *req, const char *h)
{
	for (size_t i = 0; i < req->n_headers; i++)
		if (strcmp(req->headers[i], h) == 0)
			return req->secret_header[i] ? 2 : 1;
	return 0;
}

/* ---- listing ---------------------------------------------------------- */

static void test_listing_format_price(void **state)
{
	(void)state;
	assert_string_equal(PRICE(0.15), "0.15");
	assert_string_equal(PRICE(3.9e-7 * 1e6), "0.39");
	assert_string_equal(PRICE(2), "2");
	assert_string_equal(PRICE(0), "0");
	assert_string_equal(PRICE(-0.0), "0");
	assert_string_equal(PRICE(-1e-9), "0");
	assert_string_equal(PRICE(1e-7), "0");
	assert_string_equal(PRICE(0.18000000000000002), "0.18");
	assert_string_equal(PRICE(0.0799999993), "0.08");
	assert_string_equal(PRICE(1234.5), "1234.5");
	assert_string_equal(PRICE(0.000001), "0.000001");
	assert_string_equal(PRICE(0.0375), "0.0375");
	assert_string_equal(PRICE(NAN), "");
	assert_string_equal(PRICE(INFINITY), "");
	assert_string_equal(PRICE(1e300), "1e+300");
	assert_true(strlen(PRICE(-1.7976931348623157e308)) < 32);
	assert_true(listing_round_price(0.15000000000000002) == 0.15);
	assert_true(listing_round_price(0.00000015 * 1e6) == 0.15);
	assert_true(isnan(listing_round_price(NAN)));
	assert_false(signbit(listing_round_price(-0.0)));
}

#define SHOWN(v) listing_format_price_display((v), (char[32]){0})

static void test_listing_format_price_display(void **state)
{
	(void)state;
	assert_string_equal(SHOWN(0.1), "0.10");
	assert_string_equal(SHOWN(2), "2.00");
	assert_string_equal(SHOWN(0), "0.00");
	assert_string_equal(SHOWN(0.135), "0.135");
	assert_string_equal(SHOWN(0.15), "0.15");
	assert_string_equal(SHOWN(1234.5), "1234.50");
	assert_string_equal(SHOWN(0.000001), "0.000001");
	assert_string_equal(SHOWN(NAN), "");
	assert_string_equal(SHOWN(1e300), "1e+300");
	assert_true(strlen(SHOWN(-1.7976931348623157e308)) < 32);
	assert_true(strlen(SHOWN(999999999.999999)) < 32);
}

/* More than 10% away, at the printed precision: exactly 10% is within,
 * whatever the binary noise of 2.2 - 2 (0.20000000000000018). */
static void test_listing_price_far(void **state)
{
	(void)state;
	assert_false(listing_price_far(2, 2.2));
	assert_false(listing_price_far(2, 1.8));
	assert_true(listing_price_far(2, 2.21));
	assert_true(listing_price_far(2, 1.79));
	assert_false(listing_price_far(0.15, 0.165));
	assert_true(listing_price_far(0.15, 0.165001));
	assert_false(listing_price_far(0, 0));
	assert_true(listing_price_far(0, 0.000001));
	assert_false(listing_price_far(NAN, 3));
	assert_false(listing_price_far(3, NAN));
}

static void test_listing_sort(void **state)
{
	(void)state;
	struct listing l;
	listing_init(&l);
	listing_add(&l, "b")->context = 1;
	listing_add(&l, "a")->context = 2;
	listing_add(&l, "b")->context = 3;
	listing_add(&l, "B")->context = 4;
	listing_add(&l, "a")->context = 5;
	struct listing_entry *e = listing_add(&l, "c");
	assert_null(e->name);
	assert_int_equal(e->context, -1);
	assert_true(isnan(e->input) && isnan(e->output) &&
		    isnan(e->cached_input));
	listing_sort(&l);
	assert_int_equal(l.count, 4);
	assert_string_equal(l.items[0].id, "B");
	assert_string_equal(l.items[1].id, "a");
	assert_int_equal(l.items[1].context, 2); /* the first "a" is kept */
	assert_string_equal(l.items[2].id, "b");
	assert_int_equal(l.items[2].context, 1);
	assert_string_equal(l.items[3].id, "c");
	assert_ptr_equal(listing_find(&l, "c"), &l.items[3]);
	assert_null(listing_find(&l, "d"));
	listing_release(&l);
	assert_int_equal(l.count, 0);
	assert_null(l.items);
}

static void test_adapter_find(void **state)
{
	(void)state;
	static const char *const styles[] = {"openai",
					     "anthropic",
					     "gemini",
					     "together",
					     "openrouter",
					     "deepinfra",
					     "per-token-strings",
					     "novita",
					     "cloudflare",
					     "bedrock",
					     "azure-retail",
					     NULL};
	size_t n = 0;
	for (size_t i = 0; styles[i]; i++) {
		const struct adapter *a = adapter_find(styles[i]);
		assert_non_null(a);
		assert_string_equal(a->style, styles[i]);
		assert_non_null(a->first_request);
		assert_non_null(a->parse_page);
	}
	for (; adapter_all[n]; n++)
		;
	assert_int_equal(n, 11);
	assert_null(adapter_find("openai2"));
	assert_null(adapter_find(""));
	assert_null(adapter_find(NULL));
}

/* ---- recorded real responses ----------------------------------------- */

static void test_real_openai(void **state)
{
	(void)state;
	size_t len;
	char *body = S_realdata("openai/llmrb_models_list.json", &len);
	struct listing l;
	listing_init(&l);
	S_parse_ok("openai", "openai", body, len, &l);
	assert_int_equal(l.count, 120);
	assert_string_equal(l.items[0].id, "text-embedding-ada-002");
	S_assert_entry(&l, "gpt-3.5-turbo", NULL, -1, "", "", "");
	S_assert_entry(&l, "gpt-4", NULL, -1, "", "", "");
	listing_release(&l);
	free(body);
}

static void test_real_mistral(void **state)
{
	(void)state;
	size_t len;
	char *body = S_realdata("mistral/gptportal_v1_models.json", &len);
	struct listing l;
	listing_init(&l);
	S_parse_ok("openai", "mistral", body, len, &l);
	assert_int_equal(l.count, 53);
	S_assert_entry(&l, "mistral-large-latest", "mistral-large-2411", 131072,
		       "", "", "");
	S_assert_entry(&l, "codestral-latest", "codestral-2501", 262144, "", "",
		       "");
	S_assert_entry(&l, "mistral-embed", "mistral-embed", 32768, "", "", "");
	listing_release(&l);
	free(body);
}

static void test_real_anthropic(void **state)
{
	(void)state;
	size_t len;
	char *body = S_realdata("anthropic/llmrb_models_list.json", &len);
	struct listing l;
	listing_init(&l);
	S_parse_ok("anthropic", "anthropic", body, len, &l);
	assert_int_equal(l.count, 9);
	assert_string_equal(l.items[0].id, "claude-opus-4-5-20251101");
	S_assert_entry(&l, "claude-opus-4-5-20251101", "Claude Opus 4.5", -1,
		       "", "", "");
	S_assert_entry(&l, "claude-3-haiku-20240307", "Claude Haiku 3", -1, "",
		       "", "");
	listing_release(&l);
	free(body);
}

static void test_real_gemini(void **state)
{
	(void)state;
	size_t len;
	char *body = S_realdata("gemini/llmrb_v1beta_models_page1.json", &len);
	struct adapter_ctx ctx =
	    S_ctx("google", "https://generativelanguage.googleapis.com/v1beta",
		  "KEY123");
	struct listing l;
	struct http_request next;
	struct buf err = BUF_INIT;

	listing_init(&l);
	http_request_init(&next);
	assert_int_equal(
	    S_parse_ctx("gemini", &ctx, body, len, &l, &next, &err), 0);
	assert_int_equal(l.count, 50);
	S_assert_entry(&l, "gemini-2.5-flash", "Gemini 2.5 Flash", 1048576, "",
		       "", "");
	S_assert_entry(&l, "gemini-embedding-001", "Gemini Embedding 001", 2048,
		       "", "", "");
	S_assert_entry(&l, "gemma-4-31b-it", "Gemma 4 31B IT", 262144, "", "",
		       "");
	assert_null(listing_find(&l, "models/gemini-2.5-flash"));
	/* The recording is page 1 of several. */
	assert_string_equal(
	    next.url, "https://generativelanguage.googleapis.com/v1beta/models?"
		      "pageSize=1000&pageToken="
		      "CiRtb2RlbHMvdmVvLTMuMS1saXRlLWdlbmVyYXRlLXByZXZpZXc%3D");
	assert_int_equal(S_header(&next, "x-goog-api-key: KEY123"), 2);
	assert_null(strstr(next.url, "KEY123"));
	http_request_release(&next);
	listing_release(&l);
	buf_release(&err);
	free(body);
}

static void test_real_together(void **state)
{
	(void)state;
	size_t len;
	char *body = S_realdata("together/mchresearch_v1_models.json", &len);
	struct listing l;
	listing_init(&l);
	S_parse_ok("together", "together", body, len, &l);
	assert_int_equal(l.count, 131);
	S_assert_entry(&l, "meta-llama/Llama-3.3-70B-Instruct-Turbo",
		       "Meta Llama 3.3 70B Instruct Turbo", 131072, "0.88",
		       "0.88", "");
	/* 0.18000000000000002 and 0.5900000000000001 in the body. */
	S_assert_entry(&l, "meta-llama/Llama-4-Scout-17B-16E-Instruct",
		       "Llama 4 Scout Instruct (17Bx16E)", 1048576, "0.18",
		       "0.59", "");
	S_assert_entry(&l, "openai/gpt-oss-120b", "OpenAI GPT-OSS 120B", 131072,
		       "0.15", "0.6", "");
	S_assert_entry(&l, "deepseek-ai/DeepSeek-R1", "DeepSeek R1-0528",
		       163840, "3", "7", "");
	S_assert_entry(&l, "togethercomputer/m2-bert-80M-32k-retrieval",
		       "M2-BERT-Retrieval-32k", 32768, "0.008", "0.008", "");
	/* All-zero pricing: not free, unknown. */
	S_assert_entry(&l, "togethercomputer/MoA-1", "Together AI MoA-1", 32768,
		       "", "", "");
	/* An audio model: 65 is not a token price; context 0 is unknown. */
	S_assert_entry(&l, "cartesia/sonic", "Cartesia Sonic", -1, "", "", "");
	listing_release(&l);
	free(body);
}

static void test_real_openrouter(void **state)
{
	(void)state;
	size_t len;
	char *body = S_realdata(
	    "openrouter/llm-openrouter_api_v1_models_filtered5.json", &len);
	struct listing l;
	listing_init(&l);
	S_parse_ok("openrouter", "openrouter", body, len, &l);
	assert_int_equal(l.count, 4);
	S_assert_entry(&l, "openai/gpt-4o", "OpenAI: GPT-4o", 128000, "2.5",
		       "10", "1.25");
	S_assert_entry(&l, "anthropic/claude-sonnet-4",
		       "Anthropic: Claude Sonnet 4", 1000000, "3", "15", "0.3");
	S_assert_entry(&l, "openai/gpt-4.1-mini", "OpenAI: GPT-4.1 Mini",
		       1047576, "0.4", "1.6", "0.1");
	S_assert_entry(&l, "openai/gpt-3.5-turbo", "OpenAI: GPT-3.5 Turbo",
		       16385, "0.5", "1.5", "");
	listing_release(&l);
	free(body);
}

static void test_real_deepinfra(void **state)
{
	(void)state;
	size_t len;
	char *body =
	    S_realdata("deepinfra/agentzero-fork_v1_openai_models.json", &len);
	struct listing l;
	listing_init(&l);
	S_parse_ok("deepinfra", "deepinfra", body, len, &l);
	assert_int_equal(l.count, 142);
	S_assert_entry(&l, "ByteDance/Seed-2.0-mini", NULL, 256000, "0.1",
		       "0.4", "0.02");
	S_assert_entry(&l, "meta-llama/Llama-3.3-70B-Instruct-Turbo", NULL,
		       131072, "0.1", "0.32", "");
	S_assert_entry(&l, "zai-org/GLM-4.6", NULL, 202752, "0.43", "1.74",
		       "0.08");
	S_assert_entry(&l, "google/gemini-1.5-flash-8b", NULL, 1000000,
		       "0.0375", "0.15", "");
	/* metadata: null */
	S_assert_entry(&l, "PrunaAI/p-image-Edit", NULL, -1, "", "", "");
	listing_release(&l);
	free(body);
}

static void test_real_bedrock(void **state)
{
	(void)state;
	size_t len;
	char *body = S_realdata(
	    "aws-bedrock/llmrb_list_foundation_models_us-east-1.json", &len);
	struct listing l;
	listing_init(&l);
	S_parse_ok("bedrock", "aws-bedrock", body, len, &l);
	/* 125 summaries, 25 of them LEGACY. */
	assert_int_equal(l.count, 100);
	S_assert_entry(&l, "meta.llama3-3-70b-instruct-v1:0",
		       "Llama 3.3 70B Instruct", -1, "", "", "");
	S_assert_entry(&l, "openai.gpt-oss-120b-1:0", "gpt-oss-120b", -1, "",
		       "", "");
	S_assert_entry(&l, "nvidia.nemotron-nano-12b-v2",
		       "NVIDIA Nemotron Nano 12B v2 VL BF16", -1, "", "", "");
	assert_null(
	    listing_find(&l, "anthropic.claude-sonnet-4-20250514-v1:0"));
	listing_release(&l);
	free(body);

	/* Only LEGACY models: an empty listing, not an error. */
	const char *legacy = "{\"modelSummaries\":[{\"modelId\":\"a.b-v1:0\","
			     "\"modelLifecycle\":{\"status\":\"LEGACY\"}},"
			     "{\"modelId\":\"c.d-v1:0\",\"modelLifecycle\":"
			     "{\"status\":7}}]}";
	listing_init(&l);
	S_parse_ok("bedrock", "aws-bedrock", legacy, strlen(legacy), &l);
	assert_int_equal(l.count, 0);
	listing_release(&l);
}

static void test_real_nebius(void **state)
{
	(void)state;
	size_t len;
	char *body = S_realdata("nebius/agentzero-fork_v1_models.json", &len);
	struct listing l;
	listing_init(&l);
	/* Recorded without ?verbose=true, so ids only. */
	S_parse_ok("per-token-strings", "nebius", body, len, &l);
	assert_int_equal(l.count, 46);
	S_assert_entry(&l, "meta-llama/Meta-Llama-3.1-8B-Instruct", NULL, -1,
		       "", "", "");
	listing_release(&l);
	free(body);
}

/* Every adapter over every recording, whole and cut short: no crash, no
 * leak, and a cut body is refused. */
static void test_real_truncated(void **state)
{
	(void)state;
	static const char *const files[] = {
	    "openai/llmrb_models_list.json",
	    "anthropic/llmrb_models_list.json",
	    "gemini/llmrb_v1beta_models_page1.json",
	    "together/mchresearch_v1_models.json",
	    "openrouter/llm-openrouter_api_v1_models_filtered5.json",
	    "deepinfra/agentzero-fork_v1_openai_models.json",
	    "aws-bedrock/llmrb_list_foundation_models_us-east-1.json",
	    "mistral/gptportal_v1_models.json",
	    "nebius/agentzero-fork_v1_models.json",
	    NULL};
	struct adapter_ctx ctx = S_ctx("v", "https://example.test/v1", "k");
	ctx.region = "us-east-1";
	for (size_t f = 0; files[f]; f++) {
		size_t len;
		char *body = S_realdata(files[f], &len);
		for (size_t a = 0; adapter_all[a]; a++) {
			for (size_t cut = 0; cut <= len; cut += len / 7 + 1) {
				struct listing l;
				struct http_request next;
				struct buf err = BUF_INIT;
				listing_init(&l);
				http_request_init(&next);
				int rc = adapter_all[a]->parse_page(
				    &ctx, body, cut, &l, &next, &err);
				if (cut < len / 2) {
					assert_int_equal(rc, -1);
					assert_true(err.len > 0);
				}
				listing_release(&l);
				http_request_release(&next);
				buf_release(&err);
			}
		}
		free(body);
	}
}

/* ---- hand-made bodies ------------------------------------------------- */

static void test_novita(void **state)
{
	(void)state;
	const char *body =
	    "{\"data\":[{\"id\":\"meta-llama/llama-3.3-70b-instruct\","
	    "\"object\":\"model\",\"created\":1733560109,"
	    "\"input_token_price_per_m\":3900,"
	    "\"output_token_price_per_m\":3900,"
	    "\"title\":\"Llama 3.3 70B Instruct\",\"context_size\":131072},"
	    "{\"id\":\"qwen/qwen3\",\"input_token_price_per_m\":1500,"
	    "\"output_token_price_per_m\":\"6000\",\"context_size\":\"x\"},"
	    "{\"id\":\"neg\",\"input_token_price_per_m\":-5}]}";
	struct listing l;
	listing_init(&l);
	S_parse_ok("novita", "novita", body, strlen(body), &l);
	assert_int_equal(l.count, 3);
	S_assert_entry(&l, "meta-llama/llama-3.3-70b-instruct",
		       "Llama 3.3 70B Instruct", 131072, "0.39", "0.39", "");
	S_assert_entry(&l, "qwen/qwen3", NULL, -1, "0.15", "0.6", "");
	S_assert_entry(&l, "neg", NULL, -1, "", "", "");
	listing_release(&l);
}

static void test_pertoken_cerebras_sambanova(void **state)
{
	(void)state;
	/* Cerebras' public catalog: limits.max_context_length. */
	const char *cerebras =
	    "{\"object\":\"list\",\"data\":[{\"id\":\"llama-3.3-70b\","
	    "\"name\":\"Llama 3.3 70B\",\"deprecated\":false,"
	    "\"pricing\":{\"prompt\":\"0.00000085\","
	    "\"completion\":\"0.0000012\"},"
	    "\"limits\":{\"max_context_length\":65536,"
	    "\"max_completion_tokens\":8192}},"
	    "{\"id\":\"gpt-oss-120b\",\"pricing\":{\"prompt\":1.5e-7,"
	    "\"completion\":6e-7},\"limits\":{\"max_context_length\":"
	    "\"131072\"}}]}";
	/* SambaNova: context_length, per-token strings. */
	const char *sambanova =
	    "{\"data\":[{\"id\":\"Meta-Llama-3.3-70B-Instruct\","
	    "\"object\":\"model\",\"owned_by\":\"meta\","
	    "\"context_length\":131072,\"max_completion_tokens\":3072,"
	    "\"sn_metadata\":{},\"pricing\":{\"prompt\":\"0.0000006\","
	    "\"completion\":\"0.0000012\",\"duration_per_hour\":\"0\"}}]}";
	struct listing l;
	listing_init(&l);
	S_parse_ok("per-token-strings", "cerebras", cerebras, strlen(cerebras),
		   &l);
	S_parse_ok("per-token-strings", "sambanova", sambanova,
		   strlen(sambanova), &l);
	assert_int_equal(l.count, 3);
	S_assert_entry(&l, "llama-3.3-70b", "Llama 3.3 70B", 65536, "0.85",
		       "1.2", "");
	S_assert_entry(&l, "gpt-oss-120b", NULL, 131072, "0.15", "0.6", "");
	S_assert_entry(&l, "Meta-Llama-3.3-70B-Instruct", NULL, 131072, "0.6",
		       "1.2", "");
	listing_release(&l);
}

static const char S_cloudflare_page[] =
    "{\"success\":true,\"errors\":[],\"messages\":[],\"result\":["
    "{\"id\":\"f6c5e6a2-0000-4000-8000-000000000001\","
    "\"name\":\"@cf/meta/llama-3.3-70b-instruct-fp8-fast\","
    "\"description\":\"d\",\"task\":{\"id\":\"t\",\"name\":\"Text "
    "Generation\"},\"tags\":[],\"properties\":["
    "{\"property_id\":\"context_window\",\"value\":\"24000\"},"
    "{\"property_id\":\"function_calling\",\"value\":\"true\"},"
    "{\"property_id\":\"price\",\"value\":["
    "{\"unit\":\"per M input tokens\",\"price\":0.293,\"currency\":\"USD\"},"
    "{\"unit\":\"per M output tokens\",\"price\":2.253,\"currency\":\"USD\"},"
    "{\"unit\":\"per M cached input tokens\",\"price\":\"0.05\","
    "\"currency\":\"USD\"}]}]},"
    "{\"id\":\"f6c5e6a2-0000-4000-8000-000000000002\","
    "\"name\":\"@cf/black-forest-labs/flux-1-schnell\",\"properties\":["
    "{\"property_id\":\"price\",\"value\":["
    "{\"unit\":\"per 512 by 512 tile\",\"price\":0.000053,"
    "\"currency\":\"USD\"},{\"unit\":\"per M input tokens\","
    "\"price\":1,\"currency\":\"EUR\"}]}]},"
    "{\"id\":\"f6c5e6a2-0000-4000-8000-000000000003\","
    "\"name\":\"@cf/qwen/qwen3-30b\",\"properties\":["
    "{\"property_id\":\"context_window\",\"value\":32768},"
    "{\"property_id\":\"price\",\"value\":\"oops\"},7]},"
    "{\"id\":\"no-name\"}],"
    "\"result_info\":{\"count\":4,\"page\":1,\"per_page\":100,"
    "\"total_count\":4,\"total_pages\":1}}";

static void test_cloudflare(void **state)
{
	(void)state;
	struct listing l;
	listing_init(&l);
	S_parse_ok("cloudflare", "cloudflare", S_cloudflare_page,
		   strlen(S_cloudflare_page), &l);
	assert_int_equal(l.count, 3);
	S_assert_entry(&l, "@cf/meta/llama-3.3-70b-instruct-fp8-fast", NULL,
		       24000, "0.293", "2.253", "0.05");
	S_assert_entry(&l, "@cf/black-forest-labs/flux-1-schnell", NULL, -1, "",
		       "", "");
	S_assert_entry(&l, "@cf/qwen/qwen3-30b", NULL, 32768, "", "", "");
	assert_null(listing_find(&l, "no-name"));
	listing_release(&l);

	char *msg = S_parse_fail(
	    "cloudflare",
	    "{\"success\":false,\"errors\":[{\"code\":10000,"
	    "\"message\":\"Authentication error\"}],\"result\":null}");
	assert_string_equal(msg, "the API reported failure (error code 10000)");
	free(msg);
}

/* Parses a cloudflare page whose result_info is info; returns the next
 * URL (caller frees) or NULL. */
static char *S_cloudflare_next(const char *info, int page)
{
	struct adapter_ctx ctx = S_ctx(
	    "cloudflare",
	    "https://api.cloudflare.com/client/v4/accounts/abc/ai", "tok");
	struct buf body = BUF_INIT;
	struct listing l;
	struct http_request next;
	struct buf err = BUF_INIT;

	ctx.page = page;
	buf_puts(&body, "{\"success\":true,\"result\":[{\"name\":\"@cf/x\"}]");
	if (info)
		buf_printf(&body, ",\"result_info\":%s", info);
	buf_puts(&body, "}");
	listing_init(&l);
	http_request_init(&next);
	assert_int_equal(S_parse_ctx("cloudflare", &ctx, body.data, body.len,
				     &l, &next, &err),
			 0);
	assert_int_equal(l.count, 1);
	char *url = next.url ? xstrdup(next.url) : NULL;
	if (url)
		assert_int_equal(S_header(&next, "Authorization: Bearer tok"),
				 2);
	http_request_release(&next);
	listing_release(&l);
	buf_release(&err);
	buf_release(&body);
	return url;
}

static void test_cloudflare_pages(void **state)
{
	(void)state;
	const char *p2 = "https://api.cloudflare.com/client/v4/accounts/abc/"
			 "ai/models/search?page=2&per_page=100";
	char *u;

	u = S_cloudflare_next("{\"page\":1,\"per_page\":100,\"total_pages\":3}",
			      0);
	assert_string_equal(u, p2);
	free(u);
	u = S_cloudflare_next("{\"page\":3,\"per_page\":100,\"total_pages\":3}",
			      2);
	assert_null(u);
	u = S_cloudflare_next(
	    "{\"page\":1,\"per_page\":100,\"total_count\":150}", 0);
	assert_string_equal(u, p2);
	free(u);
	u = S_cloudflare_next(
	    "{\"page\":2,\"per_page\":100,\"total_count\":150}", 1);
	assert_null(u);
	u = S_cloudflare_next("{\"page\":1,\"per_page\":100,\"count\":100}", 0);
	assert_string_equal(u, p2);
	free(u);
	u = S_cloudflare_next("{\"page\":1,\"per_page\":100,\"count\":7}", 0);
	assert_null(u);
	u = S_cloudflare_next(NULL, 0);
	assert_null(u);
	u = S_cloudflare_next("\"garbage\"", 0);
	assert_null(u);
	/* total_pages wins and the page number comes from ctx when absent. */
	u = S_cloudflare_next("{\"total_pages\":5}", 3);
	assert_string_equal(u, "https://api.cloudflare.com/client/v4/accounts/"
			       "abc/ai/models/search?page=5&per_page=100");
	free(u);
	/* The cap: page 200 would be one too many. */
	struct adapter_ctx ctx =
	    S_ctx("cloudflare",
		  "https://api.cloudflare.com/client/v4/accounts/abc/ai", NULL);
	struct listing l;
	struct http_request next;
	struct buf err = BUF_INIT;
	const char *body =
	    "{\"success\":true,\"result\":[{\"name\":\"@cf/x\"}],"
	    "\"result_info\":{\"page\":200,\"total_pages\":900}}";
	ctx.page = ADAPTER_MAX_PAGES - 1;
	listing_init(&l);
	http_request_init(&next);
	assert_int_equal(S_parse_ctx("cloudflare", &ctx, body, strlen(body), &l,
				     &next, &err),
			 -1);
	assert_null(next.url);
	assert_string_equal(
	    buf_cstr(&err),
	    "stopped after 200 pages: the listing does not end");
	http_request_release(&next);
	listing_release(&l);
	buf_release(&err);
}

/* Two pages of Azure retail meters for eastus. */
static const char S_azure_page1[] =
    "{\"BillingCurrency\":\"USD\",\"CustomerEntityId\":\"Default\","
    "\"Items\":["
    /* Regional first: the Global price on page 2 must replace it. */
    "{\"currencyCode\":\"USD\",\"retailPrice\":0.00275,\"unitPrice\":0.00275,"
    "\"armRegionName\":\"eastus\",\"location\":\"US East\","
    "\"meterName\":\"gpt 4o 0806 Inp regnl Tokens\",\"productName\":"
    "\"Azure OpenAI\",\"skuName\":\"gpt 4o 0806 Inp regnl\","
    "\"serviceName\":\"Foundry Models\",\"serviceFamily\":\"AI + Machine "
    "Learning\",\"unitOfMeasure\":\"1K\",\"type\":\"Consumption\"},"
    "{\"currencyCode\":\"USD\",\"retailPrice\":0.01,"
    "\"armRegionName\":\"eastus\",\"meterName\":"
    "\"gpt-4o-0806-Outp-glbl Tokens\",\"productName\":\"Azure OpenAI\","
    "\"unitOfMeasure\":\"1K\",\"type\":\"Consumption\"},"
    "{\"currencyCode\":\"USD\",\"retailPrice\":0.00125,"
    "\"armRegionName\":\"eastus\",\"meterName\":"
    "\"gpt 4o 0806 cached Inp glbl Tokens\",\"productName\":"
    "\"Azure OpenAI\",\"unitOfMeasure\":\"1K\",\"type\":\"Consumption\"},"
    /* Batch: skipped. */
    "{\"currencyCode\":\"USD\",\"retailPrice\":0.00125,"
    "\"armRegionName\":\"eastus\",\"meterName\":"
    "\"gpt-4o-0806-Batch-Inp-glbl Tokens\",\"productName\":"
    "\"Azure OpenAI\",\"unitOfMeasure\":\"1K\",\"type\":\"Consumption\"},"
    /* GPT-5 line: bare version, per 1M. */
    "{\"currencyCode\":\"USD\",\"retailPrice\":1.25,"
    "\"armRegionName\":\"eastus\",\"meterName\":\"5 inp Gl 1M Tokens\","
    "\"productName\":\"Azure OpenAI GPT5\",\"unitOfMeasure\":\"1M\","
    "\"type\":\"Consumption\"},"
    "{\"currencyCode\":\"USD\",\"retailPrice\":10,"
    "\"armRegionName\":\"eastus\",\"meterName\":\"5 opt Gl 1M Tokens\","
    "\"productName\":\"Azure OpenAI GPT5\",\"unitOfMeasure\":\"1M\","
    "\"type\":\"Consumption\"},"
    "{\"currencyCode\":\"USD\",\"retailPrice\":0.125,"
    "\"armRegionName\":\"eastus\",\"meterName\":\"5 cd inp Gl 1M Tokens\","
    "\"productName\":\"Azure OpenAI GPT5\",\"unitOfMeasure\":\"1M\","
    "\"type\":\"Consumption\"},"
    /* Priority processing: skipped. */
    "{\"currencyCode\":\"USD\",\"retailPrice\":2.5,"
    "\"armRegionName\":\"eastus\",\"meterName\":\"5 pp inp Gl 1M Tokens\","
    "\"productName\":\"Azure OpenAI GPT5\",\"unitOfMeasure\":\"1M\","
    "\"type\":\"Consumption\"},"
    /* Another region, a non-token meter, a reservation: skipped. */
    "{\"currencyCode\":\"USD\",\"retailPrice\":9,"
    "\"armRegionName\":\"westeurope\",\"meterName\":"
    "\"gpt 4.1 Inp glbl Tokens\",\"unitOfMeasure\":\"1K\"},"
    "{\"currencyCode\":\"USD\",\"retailPrice\":2.75,"
    "\"armRegionName\":\"eastus\",\"meterName\":\"file-search Calls\","
    "\"unitOfMeasure\":\"1K\",\"type\":\"Consumption\"},"
    "{\"currencyCode\":\"USD\",\"retailPrice\":100,"
    "\"armRegionName\":\"eastus\",\"meterName\":\"gpt 4.1 Inp glbl Tokens\","
    "\"unitOfMeasure\":\"1K\",\"type\":\"Reservation\"},"
    /* Garbage items. */
    "7,null,{\"meterName\":5},{\"armRegionName\":\"eastus\","
    "\"meterName\":\"x Inp glbl Tokens\",\"unitOfMeasure\":\"1 Hour\","
    "\"retailPrice\":1}],"
    "\"NextPageLink\":\"https://prices.azure.com:443/api/retail/prices?"
    "$filter=x&$skip=100\",\"Count\":14}";

static const char S_azure_page2[] =
    "{\"Items\":["
    "{\"currencyCode\":\"USD\",\"retailPrice\":0.0025,"
    "\"armRegionName\":\"eastus\",\"meterName\":"
    "\"gpt-4o-0806-Inp-glbl Tokens\",\"productName\":\"Azure OpenAI\","
    "\"unitOfMeasure\":\"1K\",\"type\":\"Consumption\"},"
    /* Regional after Global: does not replace it. */
    "{\"currencyCode\":\"USD\",\"retailPrice\":0.011,"
    "\"armRegionName\":\"eastus\",\"meterName\":"
    "\"gpt-4o-0806-Outp-regnl Tokens\",\"productName\":\"Azure OpenAI\","
    "\"unitOfMeasure\":\"1K\",\"type\":\"Consumption\"},"
    /* Only a regional meter: it is used. */
    "{\"currencyCode\":\"USD\",\"retailPrice\":0.00066,"
    "\"armRegionName\":\"EastUS\",\"meterName\":"
    "\"gpt-4o-mini-0718-Outp-regnl Tokens\",\"productName\":"
    "\"Azure OpenAI\",\"unitOfMeasure\":\"1K\",\"type\":\"Consumption\"},"
    "{\"currencyCode\":\"USD\",\"retailPrice\":0.03,"
    "\"armRegionName\":\"eastus\",\"meterName\":"
    "\"gpt 4o 0513 Input global Tokens\",\"productName\":\"Azure OpenAI\","
    "\"unitOfMeasure\":\"10K\"}],"
    "\"NextPageLink\":null,\"Count\":4}";

static void test_azure(void **state)
{
	(void)state;
	struct adapter_ctx ctx =
	    S_ctx("azure-ai-foundry",
		  "https://prices.azure.com/api/retail/prices", NULL);
	struct listing l;
	struct http_request req;
	struct http_request next;
	struct buf err = BUF_INIT;

	http_request_init(&req);
	assert_int_equal(
	    adapter_find("azure-retail")->first_request(&ctx, &req, &err), 0);
	assert_string_equal(
	    req.url,
	    "https://prices.azure.com/api/retail/prices?$filter="
	    "serviceFamily%20eq%20%27AI%20%2B%20Machine%20Learning%27%20and"
	    "%20priceType%20eq%20%27Consumption%27%20and%20armRegionName%20eq"
	    "%20%27eastus%27");
	assert_int_equal(req.n_headers, 0);
	assert_null(req.userpwd);

	listing_init(&l);
	http_request_init(&next);
	ctx.request_url = req.url;
	assert_int_equal(S_parse_ctx("azure-retail", &ctx, S_azure_page1,
				     strlen(S_azure_page1), &l, &next, &err),
			 0);
	assert_string_equal(next.url, "https://prices.azure.com:443/api/retail/"
				      "prices?$filter=x&$skip=100");
	struct http_request last;
	http_request_init(&last);
	ctx.page = 1;
	ctx.request_url = next.url;
	assert_int_equal(S_parse_ctx("azure-retail", &ctx, S_azure_page2,
				     strlen(S_azure_page2), &l, &last, &err),
			 0);
	assert_null(last.url);
	assert_int_equal(l.count, 4);
	S_assert_entry(&l, "gpt-4o-0806", NULL, -1, "2.5", "10", "1.25");
	S_assert_entry(&l, "gpt-5", NULL, -1, "1.25", "10", "0.125");
	S_assert_entry(&l, "gpt-4o-mini-0718", NULL, -1, "", "0.66", "");
	S_assert_entry(&l, "gpt-4o-0513", NULL, -1, "3", "", "");
	assert_null(listing_find(&l, "x"));
	http_request_release(&req);
	http_request_release(&next);
	http_request_release(&last);
	listing_release(&l);
	buf_release(&err);
}

static void test_azure_region_and_links(void **state)
{
	(void)state;
	struct adapter_ctx ctx = S_ctx("azure", NULL, NULL);
	struct http_request req;
	struct buf err = BUF_INIT;
	char *msg;

	ctx.region = "westeurope";
	http_request_init(&req);
	assert_int_equal(
	    adapter_find("azure-retail")->first_request(&ctx, &req, &err), 0);
	assert_non_null(
	    strstr(req.url, "armRegionName%20eq%20%27westeurope%27"));
	assert_int_equal(
	    strncmp(req.url, "https://prices.azure.com/api/retail/prices?", 43),
	    0);
	http_request_release(&req);
	ctx.region = "east us' or 1 eq 1";
	assert_int_equal(
	    adapter_find("azure-retail")->first_request(&ctx, &req, &err), -1);
	assert_null(req.url);
	buf_release(&err);

	/* A page link to another host is refused. */
	msg = S_parse_fail(
	    "azure-retail",
	    "{\"Items\":[],\"NextPageLink\":\"https://evil.test/api/retail/"
	    "prices?$skip=100\"}");
	assert_string_equal(msg,
			    "NextPageLink points away from the prices API");
	free(msg);
	msg = S_parse_fail("azure-retail", "{\"Items\":[],\"NextPageLink\":7}");
	assert_string_equal(msg, "NextPageLink is not a string");
	free(msg);
	msg = S_parse_fail("azure-retail", "{\"items\":[]}");
	assert_string_equal(msg,
			    "expected a JSON object with an 'Items' array");
	free(msg);
}

/* ---- requests --------------------------------------------------------- */

/* Runs first_request of style; asserts success. */
static void S_first(const char *style, const struct adapter_ctx *ctx,
		    struct http_request *req)
{
	struct buf err = BUF_INIT;
	http_request_init(req);
	int rc = adapter_find(style)->first_request(ctx, req, &err);
	if (rc != 0)
		print_error("%s: %s\n", style, buf_cstr(&err));
	assert_int_equal(rc, 0);
	assert_non_null(req->url);
	buf_release(&err);
}

static void test_requests_bearer(void **state)
{
	(void)state;
	struct http_request r;
	struct adapter_ctx ctx =
	    S_ctx("groq", "https://api.groq.com/openai/v1/", "gsk_secret");
	S_first("openai", &ctx, &r);
	assert_string_equal(r.url, "https://api.groq.com/openai/v1/models");
	assert_int_equal(r.n_headers, 1);
	assert_int_equal(S_header(&r, "Authorization: Bearer gsk_secret"), 2);
	assert_null(r.aws_sigv4);
	http_request_release(&r);

	/* Public listings: no key, no header. */
	ctx = S_ctx("openrouter", NULL, NULL);
	S_first("openrouter", &ctx, &r);
	assert_string_equal(r.url, "https://openrouter.ai/api/v1/models");
	assert_int_equal(r.n_headers, 0);
	http_request_release(&r);

	ctx = S_ctx("deepinfra", "https://api.deepinfra.com/v1/openai", "d");
	S_first("deepinfra", &ctx, &r);
	assert_string_equal(r.url,
			    "https://api.deepinfra.com/v1/openai/models");
	assert_int_equal(S_header(&r, "Authorization: Bearer d"), 2);
	http_request_release(&r);

	ctx = S_ctx("together", NULL, "t");
	S_first("together", &ctx, &r);
	assert_string_equal(r.url, "https://api.together.xyz/v1/models");
	http_request_release(&r);

	ctx = S_ctx("novita", "https://api.novita.ai/openai/v1", NULL);
	S_first("novita", &ctx, &r);
	assert_string_equal(r.url, "https://api.novita.ai/openai/v1/models");
	http_request_release(&r);

	ctx = S_ctx("nebius", "https://api.tokenfactory.nebius.com/v1", "n");
	S_first("per-token-strings", &ctx, &r);
	assert_string_equal(r.url, "https://api.tokenfactory.nebius.com/v1/"
				   "models?verbose=true");
	http_request_release(&r);

	ctx = S_ctx("cerebras", "https://api.cerebras.ai/public/v1", NULL);
	S_first("per-token-strings", &ctx, &r);
	assert_string_equal(r.url, "https://api.cerebras.ai/public/v1/models");
	assert_int_equal(r.n_headers, 0);
	http_request_release(&r);

	/* A key that would split a header is refused, and not quoted. */
	struct buf err = BUF_INIT;
	ctx = S_ctx("openai", NULL, "sk-abc\r\nX-Evil: 1");
	http_request_init(&r);
	assert_int_equal(adapter_find("openai")->first_request(&ctx, &r, &err),
			 -1);
	assert_null(r.url);
	assert_null(strstr(buf_cstr(&err), "sk-abc"));
	buf_release(&err);
	/* per-token-strings has no default host. */
	ctx = S_ctx("sambanova", NULL, NULL);
	assert_int_equal(
	    adapter_find("per-token-strings")->first_request(&ctx, &r, &err),
	    -1);
	assert_null(r.url);
	buf_release(&err);
	ctx = S_ctx("x", "ftp://example.test", NULL);
	assert_int_equal(adapter_find("openai")->first_request(&ctx, &r, &err),
			 -1);
	assert_string_equal(buf_cstr(&err), "base_url is not an http(s) URL");
	buf_release(&err);
	http_request_release(&r);
}

static void test_requests_anthropic_gemini(void **state)
{
	(void)state;
	struct http_request r;
	struct adapter_ctx ctx =
	    S_ctx("anthropic", "https://api.anthropic.com/v1", "sk-ant-1");
	S_first("anthropic", &ctx, &r);
	assert_string_equal(r.url,
			    "https://api.anthropic.com/v1/models?limit=1000");
	assert_int_equal(r.n_headers, 2);
	assert_int_equal(S_header(&r, "x-api-key: sk-ant-1"), 2);
	assert_int_equal(S_header(&r, "anthropic-version: 2023-06-01"), 1);
	http_request_release(&r);

	ctx =
	    S_ctx("google", "https://generativelanguage.googleapis.com/v1beta",
		  "AIzaSECRET");
	S_first("gemini", &ctx, &r);
	assert_string_equal(r.url, "https://generativelanguage.googleapis.com/"
				   "v1beta/models?pageSize=1000");
	assert_null(strstr(r.url, "AIzaSECRET"));
	assert_null(strstr(r.url, "key="));
	assert_int_equal(r.n_headers, 1);
	assert_int_equal(S_header(&r, "x-goog-api-key: AIzaSECRET"), 2);
	http_request_release(&r);
}

static void test_requests_bedrock(void **state)
{
	(void)state;
	struct http_request r;
	struct adapter_ctx ctx = S_ctx("aws-bedrock", NULL, "AKIDEXAMPLE");
	struct buf err = BUF_INIT;

	ctx.region = "eu-west-3";
	ctx.aws_secret = "wJalrSECRET";
	S_first("bedrock", &ctx, &r);
	assert_string_equal(
	    r.url, "https://bedrock.eu-west-3.amazonaws.com/foundation-models");
	assert_string_equal(r.aws_sigv4, "aws:amz:eu-west-3:bedrock");
	assert_string_equal(r.userpwd, "AKIDEXAMPLE:wJalrSECRET");
	assert_int_equal(r.n_headers, 0);
	http_request_release(&r);

	ctx.aws_session = "SESSIONTOKEN";
	ctx.base_url = "https://bedrock.us-east-1.amazonaws.com";
	ctx.region = "us-east-1";
	S_first("bedrock", &ctx, &r);
	assert_string_equal(
	    r.url, "https://bedrock.us-east-1.amazonaws.com/foundation-models");
	assert_string_equal(r.aws_sigv4, "aws:amz:us-east-1:bedrock");
	assert_int_equal(S_header(&r, "x-amz-security-token: SESSIONTOKEN"), 2);
	assert_null(strstr(r.url, "SECRET"));
	http_request_release(&r);

	ctx.region = NULL;
	assert_int_equal(adapter_find("bedrock")->first_request(&ctx, &r, &err),
			 -1);
	assert_string_equal(
	    buf_cstr(&err),
	    "bedrock needs a region (api.region or AWS_REGION)");
	assert_null(r.url);
	buf_reset(&err);
	ctx.region = "us-east-1.evil.test/";
	assert_int_equal(adapter_find("bedrock")->first_request(&ctx, &r, &err),
			 -1);
	buf_reset(&err);
	ctx.region = "us-east-1";
	ctx.aws_secret = NULL;
	assert_int_equal(adapter_find("bedrock")->first_request(&ctx, &r, &err),
			 -1);
	assert_null(strstr(buf_cstr(&err), "AKIDEXAMPLE"));
	assert_null(r.url);
	http_request_release(&r);
	buf_release(&err);
}

static void test_requests_cloudflare(void **state)
{
	(void)state;
	static const char *const bases[] = {
	    "https://api.cloudflare.com/client/v4/accounts/abc/ai",
	    "https://api.cloudflare.com/client/v4/accounts/abc/ai/",
	    "https://api.cloudflare.com/client/v4/accounts/abc/ai/v1",
	    "https://api.cloudflare.com/client/v4/accounts/abc/ai/models/"
	    "search",
	    NULL};
	struct http_request r;
	struct buf err = BUF_INIT;

	for (size_t i = 0; bases[i]; i++) {
		struct adapter_ctx ctx = S_ctx("cloudflare", bases[i], "cf");
		S_first("cloudflare", &ctx, &r);
		assert_string_equal(r.url,
				    "https://api.cloudflare.com/client/v4/"
				    "accounts/abc/ai/models/search?page=1"
				    "&per_page=100");
		assert_int_equal(S_header(&r, "Authorization: Bearer cf"), 2);
		http_request_release(&r);
	}
	struct adapter_ctx ctx =
	    S_ctx("cloudflare", "https://example.test/x", "cf");
	assert_int_equal(
	    adapter_find("cloudflare")->first_request(&ctx, &r, &err), -1);
	assert_null(r.url);
	http_request_release(&r);

	/* the API root takes the account from CLOUDFLARE_ACCOUNT_ID */
	ctx =
	    S_ctx("cloudflare", "https://api.cloudflare.com/client/v4/", "cf");
	setenv("CLOUDFLARE_ACCOUNT_ID", "0123456789abcdef0123456789ABCDEF", 1);
	S_first("cloudflare", &ctx, &r);
	assert_string_equal(r.url, "https://api.cloudflare.com/client/v4/"
				   "accounts/0123456789abcdef0123456789ABCDEF"
				   "/ai/models/search?page=1&per_page=100");
	http_request_release(&r);
	static const char *const bad[] = {"", "abc/../x", "a b", "x?y=1", NULL};
	for (size_t i = 0; bad[i]; i++) {
		setenv("CLOUDFLARE_ACCOUNT_ID", bad[i], 1);
		buf_reset(&err);
		http_request_init(&r);
		assert_int_equal(
		    adapter_find("cloudflare")->first_request(&ctx, &r, &err),
		    -1);
		assert_non_null(
		    strstr(buf_cstr(&err), "CLOUDFLARE_ACCOUNT_ID"));
		assert_null(r.url);
		http_request_release(&r);
	}
	unsetenv("CLOUDFLARE_ACCOUNT_ID");
	buf_reset(&err);
	http_request_init(&r);
	assert_int_equal(
	    adapter_find("cloudflare")->first_request(&ctx, &r, &err), -1);
	assert_non_null(strstr(buf_cstr(&err), "CLOUDFLARE_ACCOUNT_ID"));
	http_request_release(&r);
	buf_release(&err);
}

/* ---- pagination ------------------------------------------------------- */

static void test_anthropic_pages(void **state)
{
	(void)state;
	const char *body =
	    "{\"data\":[{\"type\":\"model\",\"id\":\"claude-a\","
	    "\"display_name\":\"A\"}],\"has_more\":true,"
	    "\"first_id\":\"claude-a\",\"last_id\":\"claude a/1\"}";
	struct adapter_ctx ctx = S_ctx("anthropic", NULL, "sk-ant");
	struct listing l;
	struct http_request next;
	struct buf err = BUF_INIT;

	listing_init(&l);
	http_request_init(&next);
	assert_int_equal(
	    S_parse_ctx("anthropic", &ctx, body, strlen(body), &l, &next, &err),
	    0);
	assert_int_equal(l.count, 1);
	assert_string_equal(next.url, "https://api.anthropic.com/v1/models?"
				      "limit=1000&after_id=claude%20a%2F1");
	assert_int_equal(S_header(&next, "x-api-key: sk-ant"), 2);
	assert_int_equal(S_header(&next, "anthropic-version: 2023-06-01"), 1);

	/* The same page again: a loop, refused. */
	struct http_request again;
	http_request_init(&again);
	ctx.page = 1;
	ctx.request_url = next.url;
	assert_int_equal(S_parse_ctx("anthropic", &ctx, body, strlen(body), &l,
				     &again, &err),
			 -1);
	assert_null(again.url);
	assert_string_equal(buf_cstr(&err), "the API sent the same page token "
					    "again (pagination loop)");
	http_request_release(&next);
	http_request_release(&again);
	listing_release(&l);
	buf_release(&err);

	char *msg = S_parse_fail(
	    "anthropic", "{\"data\":[],\"has_more\":true,\"last_id\":7}");
	assert_string_equal(msg, "has_more is true but last_id is missing");
	free(msg);
}

static void test_gemini_pages(void **state)
{
	(void)state;
	const char *body =
	    "{\"models\":[{\"name\":\"models/gemini-x\",\"baseModelId\":"
	    "\"gemini-x-base\",\"displayName\":\"X\",\"inputTokenLimit\":"
	    "1000},{\"name\":\"models/\"},{\"name\":\"tunedModels/t\"}],"
	    "\"nextPageToken\":\"tok+/=\"}";
	struct adapter_ctx ctx = S_ctx("google", NULL, "K");
	struct listing l;
	struct http_request next;
	struct buf err = BUF_INIT;

	listing_init(&l);
	http_request_init(&next);
	assert_int_equal(
	    S_parse_ctx("gemini", &ctx, body, strlen(body), &l, &next, &err),
	    0);
	assert_int_equal(l.count, 2);
	S_assert_entry(&l, "gemini-x-base", "X", 1000, "", "", "");
	S_assert_entry(&l, "tunedModels/t", NULL, -1, "", "", "");
	assert_string_equal(
	    next.url, "https://generativelanguage.googleapis.com/v1beta/models?"
		      "pageSize=1000&pageToken=tok%2B%2F%3D");
	/* Page cap. */
	struct http_request capped;
	http_request_init(&capped);
	ctx.page = ADAPTER_MAX_PAGES - 1;
	assert_int_equal(
	    S_parse_ctx("gemini", &ctx, body, strlen(body), &l, &capped, &err),
	    -1);
	assert_null(capped.url);
	http_request_release(&next);
	http_request_release(&capped);
	listing_release(&l);
	buf_release(&err);

	/* Last page: no token, or an empty one. */
	listing_init(&l);
	const char *last = "{\"models\":[],\"nextPageToken\":\"\"}";
	S_parse_ok("gemini", "google", last, strlen(last), &l);
	assert_int_equal(l.count, 0);
	listing_release(&l);
	char *msg =
	    S_parse_fail("gemini", "{\"models\":[],\"nextPageToken\":[1]}");
	assert_string_equal(msg, "nextPageToken is not a usable string");
	free(msg);
}

/* ---- conversions ------------------------------------------------------ */

/* Parses one OpenRouter-style item with the given pricing object and
 * returns its entry's printed input, output and cached prices. */
static void S_openrouter_prices(const char *pricing, const char *in,
				const char *out, const char *cached)
{
	struct buf body = BUF_INIT;
	struct listing l;

	buf_printf(&body, "{\"data\":[{\"id\":\"m\",\"pricing\":%s}]}",
		   pricing);
	listing_init(&l);
	S_parse_ok("openrouter", "openrouter", body.data, body.len, &l);
	assert_int_equal(l.count, 1);
	assert_string_equal(PRICE(l.items[0].input), in);
	assert_string_equal(PRICE(l.items[0].output), out);
	assert_string_equal(PRICE(l.items[0].cached_input), cached);
	listing_release(&l);
	buf_release(&body);
}

static void test_conversions(void **state)
{
	(void)state;
	S_openrouter_prices(
	    "{\"prompt\":\"0.00000015\",\"completion\":"
	    "\"0.0000006\",\"input_cache_read\":\"0.000000075\"}",
	    "0.15", "0.6", "0.075");
	assert_true(listing_round_price(0.15) == 0.15);
	/* Exactly 0.15 after the shift, not 0.15000000000000002. */
	{
		struct listing l;
		const char *b = "{\"data\":[{\"id\":\"m\",\"pricing\":"
				"{\"prompt\":\"0.00000015\"}}]}";
		listing_init(&l);
		S_parse_ok("openrouter", "openrouter", b, strlen(b), &l);
		assert_true(l.items[0].input == 0.15);
		listing_release(&l);
	}
	S_openrouter_prices("{\"prompt\":\"-1\",\"completion\":\"-1\"}", "", "",
			    "");
	S_openrouter_prices("{\"prompt\":\"0\",\"completion\":\"0\"}", "0", "0",
			    "");
	S_openrouter_prices("{\"prompt\":1.5e-7,\"completion\":\"1.2E-6\"}",
			    "0.15", "1.2", "");
	S_openrouter_prices("{\"prompt\":\"NaN\",\"completion\":\"Infinity\","
			    "\"input_cache_read\":\"1e400\"}",
			    "", "", "");
	S_openrouter_prices("{\"prompt\":\"0x10\",\"completion\":\" 1\","
			    "\"input_cache_read\":\"\"}",
			    "", "", "");
	S_openrouter_prices("{\"prompt\":1e300,\"completion\":-0.0000001,"
			    "\"input_cache_read\":true}",
			    "", "", "");
	S_openrouter_prices("{\"prompt\":\"-0\",\"completion\":"
			    "\"0.0000000000001\"}",
			    "0", "0", "");
	S_openrouter_prices("\"free\"", "", "", "");
	S_openrouter_prices("{\"prompt\":\"1e-1000000000000\","
			    "\"completion\":\"12345678901234567890e-30\"}",
			    "0", "0.000012", "");

	/* DeepInfra: USD per 1M already; 0.1 stays "0.1". */
	struct listing l;
	const char *di = "{\"data\":[{\"id\":\"d\",\"metadata\":{"
			 "\"context_length\":8192.0,\"pricing\":{"
			 "\"input_tokens\":0.1,\"output_tokens\":0.32,"
			 "\"cache_read_tokens\":0}}}]}";
	listing_init(&l);
	S_parse_ok("deepinfra", "deepinfra", di, strlen(di), &l);
	S_assert_entry(&l, "d", NULL, 8192, "0.1", "0.32", "");
	assert_true(l.items[0].input == 0.1);
	listing_release(&l);
}

/* ---- garbage ---------------------------------------------------------- */

static void test_garbage_messages(void **state)
{
	(void)state;
	char *msg;

	msg = S_parse_fail("openai", "<!DOCTYPE html><html><body>Bad gateway"
				     "</body></html>");
	assert_string_equal(msg, "response is not JSON (starts with '<')");
	free(msg);
	msg = S_parse_fail("gemini", "\n  <html>");
	assert_string_equal(msg, "response is not JSON (starts with '<')");
	free(msg);
	msg = S_parse_fail("openai", "");
	assert_string_equal(msg, "empty response where JSON was expected");
	free(msg);
	msg = S_parse_fail("openai", "{\"data\":[{\"id\":\"a\"},");
	assert_int_equal(
	    strncmp(msg, "response is not valid JSON (line 1, ", 36), 0);
	free(msg);
	msg = S_parse_fail("openai", "{\"data\":{\"id\":\"a\"}}");
	assert_string_equal(msg, "expected a JSON object with a 'data' array");
	free(msg);
	msg = S_parse_fail("openai", "[{\"id\":\"a\"}]");
	assert_string_equal(msg, "expected a JSON object with a 'data' array");
	free(msg);
	msg = S_parse_fail("together", "{\"data\":[{\"id\":\"a\"}]}");
	assert_string_equal(msg, "expected a JSON array of models");
	free(msg);
	msg = S_parse_fail("together", "[1,{\"id\":7},{\"name\":\"x\"}]");
	assert_string_equal(msg, "none of the 3 models has a usable 'id'");
	free(msg);
	msg = S_parse_fail("cloudflare",
			   "{\"success\":true,\"result\":[{\"id\":\"uuid\"}]}");
	assert_string_equal(msg, "none of the 1 models has a usable 'name'");
	free(msg);
	msg = S_parse_fail("bedrock", "{\"models\":[]}");
	assert_string_equal(
	    msg, "expected a JSON object with a 'modelSummaries' array");
	free(msg);
	msg = S_parse_fail("cloudflare", "{\"success\":true,\"result\":{}}");
	assert_string_equal(msg,
			    "expected a JSON object with a 'result' array");
	free(msg);
	msg = S_parse_fail("anthropic", "\"just a string\"");
	assert_string_equal(msg, "expected a JSON object with a 'data' array");
	free(msg);
	msg = S_parse_fail("openai", "Internal Server Error");
	assert_string_equal(msg, "response is not JSON (starts with 'I')");
	free(msg);
	msg = S_parse_fail("openai", "\x01\x02");
	assert_string_equal(msg,
			    "response is not JSON (starts with byte 0x01)");
	free(msg);
	/* jansson's "near '<token>'" is cut: the body is not echoed. */
	msg = S_parse_fail("openai", "{\"data\": [sk-SECRETKEY]}");
	assert_null(strstr(msg, "SECRETKEY"));
	free(msg);
}

/* Items of every wrong type are skipped; the good one is kept. */
static void test_garbage_items(void **state)
{
	(void)state;
	const char *body =
	    "{\"data\":[1,\"x\",null,[],{\"id\":5},{\"id\":\"\"},"
	    "{\"id\":\"tab\\there\"},{\"id\":null},{},"
	    "{\"id\":\"ok\",\"name\":7,\"context_window\":\"abc\","
	    "\"context_length\":-5,\"max_context_length\":1e300,"
	    "\"input_price\":\"x\",\"output_price\":{}},"
	    "{\"id\":\"big\",\"context_window\":99999999999999999999,"
	    "\"context_length\":4096.5,\"max_context_length\":\"8192\"}]}";
	struct listing l;
	listing_init(&l);
	S_parse_ok("openai", "x", body, strlen(body), &l);
	assert_int_equal(l.count, 2);
	S_assert_entry(&l, "ok", NULL, -1, "", "", "");
	S_assert_entry(&l, "big", NULL, 8192, "", "", "");
	listing_release(&l);

	/* Every adapter, every wrong top-level shape: -1 and a message. */
	static const char *const bodies[] = {
	    "null",
	    "true",
	    "42",
	    "\"s\"",
	    "[]",
	    "{}",
	    "[1,2]",
	    "{\"data\":null,\"models\":7,\"result\":\"r\",\"Items\":{},"
	    "\"modelSummaries\":false}",
	    "{\"data\":[",
	    "{\"a\":1}{\"b\":2}",
	    "\xEF\xBB\xBF",
	    "   ",
	    "{\"data\":[\"\xff\xfe\"]}",
	    NULL};
	for (size_t a = 0; adapter_all[a]; a++) {
		for (size_t b = 0; bodies[b]; b++) {
			struct adapter_ctx ctx =
			    S_ctx("v", "https://e.test", NULL);
			struct listing out;
			struct http_request next;
			struct buf err = BUF_INIT;
			listing_init(&out);
			http_request_init(&next);
			int rc = adapter_all[a]->parse_page(&ctx, bodies[b],
							    strlen(bodies[b]),
							    &out, &next, &err);
			/* "[]" is a valid empty Together listing. */
			if (strcmp(bodies[b], "[]") == 0 &&
			    strcmp(adapter_all[a]->style, "together") == 0) {
				assert_int_equal(rc, 0);
			} else {
				if (rc != -1)
					print_error("%s accepted %s\n",
						    adapter_all[a]->style,
						    bodies[b]);
				assert_int_equal(rc, -1);
				assert_true(err.len > 0);
			}
			assert_int_equal(out.count, 0);
			assert_null(next.url);
			listing_release(&out);
			http_request_release(&next);
			buf_release(&err);
		}
	}
	/* A NULL body with length 0. */
	struct adapter_ctx ctx = S_ctx("v", NULL, NULL);
	struct listing out;
	struct http_request next;
	struct buf err = BUF_INIT;
	listing_init(&out);
	http_request_init(&next);
	assert_int_equal(adapter_find("openai")->parse_page(&ctx, NULL, 0, &out,
							    &next, &err),
			 -1);
	listing_release(&out);
	http_request_release(&next);
	buf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_listing_format_price),
	    cmocka_unit_test(test_listing_format_price_display),
	    cmocka_unit_test(test_listing_price_far),
	    cmocka_unit_test(test_listing_sort),
	    cmocka_unit_test(test_adapter_find),
	    cmocka_unit_test(test_real_openai),
	    cmocka_unit_test(test_real_mistral),
	    cmocka_unit_test(test_real_anthropic),
	    cmocka_unit_test(test_real_gemini),
	    cmocka_unit_test(test_real_together),
	    cmocka_unit_test(test_real_openrouter),
	    cmocka_unit_test(test_real_deepinfra),
	    cmocka_unit_test(test_real_bedrock),
	    cmocka_unit_test(test_real_nebius),
	    cmocka_unit_test(test_real_truncated),
	    cmocka_unit_test(test_novita),
	    cmocka_unit_test(test_pertoken_cerebras_sambanova),
	    cmocka_unit_test(test_cloudflare),
	    cmocka_unit_test(test_cloudflare_pages),
	    cmocka_unit_test(test_azure),
	    cmocka_unit_test(test_azure_region_and_links),
	    cmocka_unit_test(test_requests_bearer),
	    cmocka_unit_test(test_requests_anthropic_gemini),
	    cmocka_unit_test(test_requests_bedrock),
	    cmocka_unit_test(test_requests_cloudflare),
	    cmocka_unit_test(test_anthropic_pages),
	    cmocka_unit_test(test_gemini_pages),
	    cmocka_unit_test(test_conversions),
	    cmocka_unit_test(test_garbage_messages),
	    cmocka_unit_test(test_garbage_items),
	};
	return cmocka_run_group_tests_name("adapters", tests, NULL, NULL);
}
