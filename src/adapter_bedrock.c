/* adapter_bedrock: Amazon Bedrock's ListFoundationModels, GET
 * https://bedrock.{region}.amazonaws.com/foundation-models (or
 * {base_url}/foundation-models), signed with SigV4 by libcurl: the
 * adapter sets aws_sigv4 "aws:amz:{region}:bedrock" and userpwd
 * "KEYID:SECRET", plus x-amz-security-token for temporary credentials.
 * The answer {"modelSummaries":[{"modelId","modelName",
 * "modelLifecycle":{"status"}}]} has neither prices nor context.
 *
 * Only ACTIVE models are listed: LEGACY ones are on their way out and can
 * no longer be enabled by new accounts. A summary without a lifecycle
 * status is kept. */
#include <string.h>

#include "adapter_util.h"

static bool S_want(json_t *item, const struct adapter_ctx *ctx)
{
	(void)ctx;
	json_t *life = adapter_member_object(item, "modelLifecycle");
	json_t *status = json_object_get(life, "status");
	return !status || (json_is_string(status) &&
			   strcmp(json_string_value(status), "ACTIVE") == 0);
}

static void S_fill(json_t *item, struct listing_entry *e,
		   const struct adapter_ctx *ctx)
{
	(void)ctx;
	adapter_entry_name(e, item, "modelName", (const char *)NULL);
}

static const struct adapter_list S_list = {
    .array_key = "modelSummaries",
    .id_key = "modelId",
    .want = S_want,
    .fill = S_fill,
};

static int S_first_request(const struct adapter_ctx *ctx,
			   struct http_request *req, struct buf *err)
{
	struct buf url = BUF_INIT;
	struct buf host = BUF_INIT;
	int rc = -1;

	if (!ctx->region || !*ctx->region) {
		buf_puts(err,
			 "bedrock needs a region (api.region or AWS_REGION)");
		goto out;
	}
	if (!adapter_region_ok(ctx->region)) {
		buf_puts(err, "the AWS region is not a region name");
		goto out;
	}
	if (!ctx->key || !*ctx->key || !ctx->aws_secret || !*ctx->aws_secret) {
		buf_puts(err, "bedrock needs AWS_ACCESS_KEY_ID and "
			      "AWS_SECRET_ACCESS_KEY");
		goto out;
	}
	if (adapter_check_secret(ctx->key, "AWS_ACCESS_KEY_ID", err) < 0 ||
	    adapter_check_secret(ctx->aws_secret, "AWS_SECRET_ACCESS_KEY",
				 err) < 0 ||
	    adapter_check_secret(ctx->aws_session, "AWS_SESSION_TOKEN", err) <
		0)
		goto out;
	if (strchr(ctx->key, ':')) {
		buf_puts(err, "AWS_ACCESS_KEY_ID contains a ':'");
		goto out;
	}
	buf_printf(&host, "https://bedrock.%s.amazonaws.com", ctx->region);
	if (adapter_url_base(ctx, buf_cstr(&host), "/foundation-models", &url,
			     err) < 0)
		goto out;
	req->url = buf_detach(&url, NULL);
	buf_reset(&host);
	buf_printf(&host, "aws:amz:%s:bedrock", ctx->region);
	req->aws_sigv4 = buf_detach(&host, NULL);
	buf_printf(&url, "%s:%s", ctx->key, ctx->aws_secret);
	req->userpwd = buf_detach(&url, NULL);
	if (ctx->aws_session && *ctx->aws_session)
		http_request_add_header(req, true, "x-amz-security-token: %s",
					ctx->aws_session);
	rc = 0;
out:
	buf_release(&url);
	buf_release(&host);
	return rc;
}

static int S_parse_page(const struct adapter_ctx *ctx, const char *body,
			size_t len, struct listing *out,
			struct http_request *next, struct buf *err)
{
	(void)next;
	return adapter_list_parse(&S_list, body, len, ctx, out, NULL, err);
}

const struct adapter adapter_bedrock = {
    .style = "bedrock",
    .first_request = S_first_request,
    .parse_page = S_parse_page,
};
