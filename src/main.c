/* stackmap: turns a YAML catalog of the AI stack into a published map.
 * This file parses the command line and dispatches; nothing more. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "choose.h"
#include "datadir.h"
#include "exitcode.h"
#include "options.h"
#include "version.h"

static const char S_usage[] =
    "usage: stackmap [global options] COMMAND [options]\n"
    "\n"
    "commands:\n"
    "  validate          check the whole catalog, report every problem\n"
    "  build             validate, then render the site into --out\n"
    "  probe             ask each vendor's API for its live models and "
    "prices\n"
    "  diff OLD NEW      compare two snapshots (--check: may NEW "
    "replace OLD?)\n"
    "  schema NAME       print the JSON Schema of vendor, model, site or "
    "primer\n"
    "  choose --model ID rank every host of a model for a monthly "
    "workload\n"
    "  init DIR          start a catalog project of your own in DIR\n"
    "\n"
    "global options:\n"
    "  --catalog DIR     catalog folder (default: catalog)\n"
    "  --templates DIR   templates folder (default: templates, else "
    "installed)\n"
    "  --out DIR         output folder (default: site)\n"
    "  --snapshot FILE   live snapshot (default: CATALOG/snapshot.json)\n"
    "  -q, --quiet       print only errors\n"
    "  -v, --verbose     say more\n"
    "  -h, --help        this help; 'stackmap COMMAND --help' for a "
    "command\n"
    "  -V, --version     print the version\n"
    "The long global options may also follow the command, e.g.\n"
    "'stackmap build --out public'.\n"
    "\n"
    "exit status: 0 ok, 1 invalid input, 2 usage, 3 I/O or system "
    "error,\n"
    "4 probe finished but some vendors failed (their data was kept)\n";

struct command {
	const char *name;
	int (*run)(const struct options *);
	const char *usage;
	const char *shortopts;
	const struct option *longopts;
	int positional; /* required positional arguments */
};

static const struct option S_validate_opts[] = {
    {"strict", no_argument, NULL, 's'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static const struct option S_build_opts[] = {
    {"jobs", required_argument, NULL, 'j'},
    {"force", no_argument, NULL, 'G'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static const struct option S_probe_opts[] = {
    {"only", required_argument, NULL, 'o'},
    {"jobs", required_argument, NULL, 'j'},
    {"timeout", required_argument, NULL, 't'},
    {"accept-shrink", no_argument, NULL, 'a'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static const struct option S_diff_opts[] = {
    {"format", required_argument, NULL, 'f'},
    {"check", no_argument, NULL, 'k'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static const struct option S_schema_opts[] = {
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static const struct option S_init_opts[] = {
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static const struct option S_choose_opts[] = {
    {"model", required_argument, NULL, 'm'},
    {"input-tokens", required_argument, NULL, 'i'},
    {"output-tokens", required_argument, NULL, 'u'},
    {"cached-share", required_argument, NULL, 'c'},
    {"require", required_argument, NULL, 'r'},
    {"via", required_argument, NULL, 'w'},
    {"layer", required_argument, NULL, 'l'},
    {"max-monthly", required_argument, NULL, 'x'},
    {"format", required_argument, NULL, 'F'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static const struct command S_commands[] = {
    {"validate", validate_run,
     "usage: stackmap [global options] validate [--strict]\n"
     "Loads and checks the whole catalog; prints every problem as\n"
     "path:line:col: error: message. --strict makes warnings fail too.\n",
     "sh", S_validate_opts, 0},
    {"build", build_run,
     "usage: stackmap [global options] build [--jobs N] [--force]\n"
     "Validates the catalog, merges the snapshot, and renders the site\n"
     "(HTML, Markdown, JSON, CSV) into --out. Unchanged files are not\n"
     "rewritten; a failed build leaves the previous site intact.\n"
     "--jobs: processes rendering vendor and model pages (default: the\n"
     "number of CPUs, at most 8). A build whose inputs and output did\n"
     "not change since the last one stops early; --force renders anyway.\n",
     "j:Gh", S_build_opts, 0},
    {"probe", probe_run,
     "usage: stackmap [global options] probe [--only ID,ID] [--jobs N]\n"
     "                [--timeout SECONDS] [--accept-shrink]\n"
     "Asks each vendor's own API for its live model list and prices and\n"
     "records them in the snapshot, never losing what it knew before.\n"
     "--only: probe only these vendors.\n"
     "--jobs: requests in flight at once (default 8).\n"
     "--timeout: seconds per request (default 30; 10 to connect).\n"
     "--accept-shrink: take a listing that is empty or shrank by more\n"
     "than half (by default it is kept out as suspect).\n"
     "A request is tried at most 3 times: connection errors, 429 and 5xx\n"
     "are retried after a backoff, or the server's Retry-After, capped at\n"
     "30 s. Prices are USD per 1M tokens, rounded to 6 decimals.\n",
     "o:j:t:ah", S_probe_opts, 0},
    {"diff", diff_run,
     "usage: stackmap [global options] diff [--format md|json] OLD NEW\n"
     "       stackmap [global options] diff --check OLD NEW\n"
     "Prints what changed between two snapshots. --check prints only\n"
     "problems, and fails when NEW may not replace OLD: when it lacks a\n"
     "vendor, a model or a price history that OLD had (a model may go\n"
     "only with its removal recorded), goes back in time, or records no\n"
     "successful probe since OLD.\n",
     "f:kh", S_diff_opts, 2},
    {"schema", schema_run,
     "usage: stackmap schema vendor|model|site|primer\n"
     "Prints the JSON Schema of one catalog file kind.\n",
     "h", S_schema_opts, 1},
    {"choose", choose_run,
     "usage: stackmap [global options] choose --model ID [--input-tokens N]\n"
     "                [--output-tokens N] [--cached-share F]\n"
     "                [--require openai-compatible] [--via VENDOR]\n"
     "                [--layer LAYER] [--max-monthly USD]\n"
     "                [--format table|md|json]\n"
     "Ranks every offer of a model by its monthly cost for a workload:\n"
     "  --model ID          a model id, a model name or a vendor's remote "
     "id\n"
     "  --input-tokens N    input tokens a month (default 100M)\n"
     "  --output-tokens N   output tokens a month (default 20M); counts\n"
     "                      take the suffixes k, M and B: 100k, 50M, 2.5B\n"
     "  --cached-share F    the share of input billed at the cached price,\n"
     "                      0 to 1 (default 0)\n"
     "  --require openai-compatible   only OpenAI-compatible APIs\n"
     "  --via VENDOR        only offers sold through VENDOR: its own and\n"
     "                      those of vendors that list it under via\n"
     "  --layer LAYER       only vendors of that layer\n"
     "  --max-monthly USD   only offers costing at most USD a month\n"
     "  --format F          table (default), md or json\n"
     "Monthly cost = in x (1 - share) / 1e6 x input price\n"
     "  + in x share / 1e6 x cached input price (else input price)\n"
     "  + out / 1e6 x output price, rounded to cents only when printed.\n"
     "Ranked by monthly cost, then vendor id, then remote id. Prices more\n"
     "than 180 days older than the catalog's newest date, and stale live\n"
     "prices, are flagged; offers without a price are listed after the\n"
     "ranking. Beneath it: the independent hosts of the model, and the\n"
     "same workload on the frontier-lab alternatives the model's file\n"
     "names (else the cheapest closed model with enough context), each on\n"
     "its own lab's API.\n",
     "h", S_choose_opts, 0},
    {"init", init_run,
     "usage: stackmap [global options] init DIR\n"
     "Creates a catalog project in DIR, which must be new or empty: an\n"
     "example catalog (vendors and models copied from the bundled one),\n"
     "its JSON Schemas, a copy of the templates and a README, so that\n"
     "'cd DIR && stackmap build' works at once.\n",
     "h", S_init_opts, 1},
};

static const struct option S_global_opts[] = {
    {"catalog", required_argument, NULL, 'c'},
    {"templates", required_argument, NULL, 'T'},
    {"out", required_argument, NULL, 'O'},
    {"snapshot", required_argument, NULL, 'S'},
    {"quiet", no_argument, NULL, 'q'},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

static int S_usage_error(const char *msg, const char *usage)
{
	fprintf(stderr, "stackmap: %s\n%s", msg, usage);
	return EXIT_USAGE;
}

/* Parses a number of a choose option with parse; a usage error names
 * the option and why the value is wrong. */
static int S_choose_number(int (*parse)(const char *, double *, const char **),
			   const char *text, double *value, const char *name,
			   const char *hint, const char *usage)
{
	const char *why = "";
	char msg[256];
	if (parse(text, value, &why) == 0)
		return EXIT_OK;
	snprintf(msg, sizeof(msg), "%s '%.40s' %s; %s", name, text, why, hint);
	return S_usage_error(msg, usage);
}

/* Sets the global option whose S_global_opts value is c; false for 'h',
 * 'V' and anything else, which the caller handles. */
static bool S_apply_global(int c, struct options *opt)
{
	switch (c) {
	case 'c':
		opt->catalog_dir = optarg;
		return true;
	case 'T':
		opt->templates_dir = optarg;
		return true;
	case 'O':
		opt->out_dir = optarg;
		return true;
	case 'S':
		opt->snapshot = optarg;
		return true;
	case 'q':
		opt->quiet = true;
		return true;
	case 'v':
		opt->verbose = true;
		return true;
	default:
		return false;
	}
}

/* After the command, the long global options (but --help and --version,
 * which are the command's) come back with this bit set on their value, so
 * that no command option's letter is taken. */
#define S_LATE 0x100
#define S_LONGOPTS_MAX 32

static int S_parse_command(const struct command *cmd, int argc, char **argv,
			   struct options *opt)
{
	/* the command's options, then the late globals, then the end mark */
	struct option longopts[S_LONGOPTS_MAX];
	size_t n = 0;
	/* room kept for the globals: S_global_opts has 8 entries with its
	 * end mark, of which 6 are copied, plus this array's end mark */
	for (size_t k = 0; n < S_LONGOPTS_MAX - 7 && cmd->longopts[k].name; k++)
		longopts[n++] = cmd->longopts[k];
	for (size_t k = 0; S_global_opts[k].name; k++)
		if (S_global_opts[k].val != 'h' &&
		    S_global_opts[k].val != 'V') {
			longopts[n] = S_global_opts[k];
			longopts[n++].val |= S_LATE;
		}
	longopts[n] = (struct option){NULL, 0, NULL, 0};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, cmd->shortopts, longopts, NULL)) !=
	       -1) {
		char *end = NULL;
		if ((c & S_LATE) && S_apply_global(c & ~S_LATE, opt))
			continue;
		switch (c) {
		case 'h':
			fputs(cmd->usage, stdout);
			exit(EXIT_OK);
		case 's':
			opt->strict = true;
			break;
		case 'o':
			opt->only = optarg;
			break;
		case 'j':
			opt->jobs = (int)strtol(optarg, &end, 10);
			opt->jobs_given = true;
			if (*end || opt->jobs < 1 || opt->jobs > 256)
				return S_usage_error(
				    "--jobs takes a number from 1 to 256",
				    cmd->usage);
			break;
		case 't':
			opt->timeout = strtod(optarg, &end);
			if (*end || !(opt->timeout > 0 && opt->timeout <= 3600))
				return S_usage_error(
				    "--timeout takes seconds, more than 0 "
				    "and at most 3600",
				    cmd->usage);
			break;
		case 'a':
			opt->accept_shrink = true;
			break;
		case 'k':
			opt->diff_check = true;
			break;
		case 'G':
			opt->force = true;
			break;
		case 'f':
			if (strcmp(optarg, "md") && strcmp(optarg, "json"))
				return S_usage_error(
				    "--format takes md or json", cmd->usage);
			opt->format = optarg;
			break;
		case 'm':
			opt->model = optarg;
			break;
		case 'i':
		case 'u':
			if (S_choose_number(choose_parse_tokens, optarg,
					    c == 'i' ? &opt->input_tokens
						     : &opt->output_tokens,
					    c == 'i' ? "--input-tokens"
						     : "--output-tokens",
					    "give a count such as 100k, 50M "
					    "or 2.5B",
					    cmd->usage) != EXIT_OK)
				return EXIT_USAGE;
			break;
		case 'c':
			if (S_choose_number(
				choose_parse_share, optarg, &opt->cached_share,
				"--cached-share", "give a share from 0 to 1",
				cmd->usage) != EXIT_OK)
				return EXIT_USAGE;
			break;
		case 'x':
			if (S_choose_number(choose_parse_usd, optarg,
					    &opt->max_monthly, "--max-monthly",
					    "give US dollars such as 250",
					    cmd->usage) != EXIT_OK)
				return EXIT_USAGE;
			break;
		case 'r':
			if (choose_parse_require(optarg,
						 &opt->require_compatible) != 0)
				return S_usage_error(
				    "--require takes openai-compatible",
				    cmd->usage);
			break;
		case 'w':
			opt->via = optarg;
			break;
		case 'l':
			opt->layer = optarg;
			break;
		case 'F':
			if (strcmp(optarg, "table") && strcmp(optarg, "md") &&
			    strcmp(optarg, "json"))
				return S_usage_error(
				    "--format takes table, md or json",
				    cmd->usage);
			opt->choose_format = optarg;
			break;
		default:
			fputs(cmd->usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind != cmd->positional)
		return S_usage_error(cmd->positional
					 ? "wrong number of arguments"
					 : "unexpected argument",
				     cmd->usage);
	if (cmd->positional == 2) {
		opt->diff_old = argv[optind];
		opt->diff_new = argv[optind + 1];
	} else if (cmd->positional == 1 && cmd->run == init_run) {
		opt->init_dir = argv[optind];
	} else if (cmd->positional == 1) {
		opt->schema_name = argv[optind];
	}
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	struct options opt = {
	    .catalog_dir = "catalog",
	    .out_dir = "site",
	    .jobs = 8,
	    .timeout = 30,
	    .format = "md",
	    .input_tokens = 100e6,
	    .output_tokens = 20e6,
	    .max_monthly = -1,
	};
	char *snapshot_default = NULL, *templates_default = NULL;
	int c, rc;
	while ((c = getopt_long(argc, argv, "+qvhV", S_global_opts, NULL)) !=
	       -1) {
		if (S_apply_global(c, &opt))
			continue;
		switch (c) {
		case 'h':
			fputs(S_usage, stdout);
			return EXIT_OK;
		case 'V':
			printf("stackmap %s\n", STACKMAP_VERSION);
			return EXIT_OK;
		default:
			fputs(S_usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return S_usage_error("no command given", S_usage);
	const char *name = argv[optind];
	const struct command *cmd = NULL;
	for (size_t i = 0; i < sizeof(S_commands) / sizeof(S_commands[0]); i++)
		if (strcmp(S_commands[i].name, name) == 0)
			cmd = &S_commands[i];
	if (!cmd) {
		fprintf(stderr, "stackmap: unknown command '%s'\n", name);
		fputs(S_usage, stderr);
		return EXIT_USAGE;
	}
	rc = S_parse_command(cmd, argc - optind, argv + optind, &opt);
	if (rc != EXIT_OK)
		return rc;
	if (!opt.snapshot) {
		size_t n = strlen(opt.catalog_dir) + sizeof("/snapshot.json");
		snapshot_default = malloc(n);
		if (!snapshot_default)
			return EXIT_SYSTEM;
		snprintf(snapshot_default, n, "%s/snapshot.json",
			 opt.catalog_dir);
		opt.snapshot = snapshot_default;
	}
	if (!opt.templates_dir)
		opt.templates_dir = templates_default = datadir_templates();
	/* a catalog folder that cannot be opened at all is an I/O error, not
	 * an invalid catalog */
	if (cmd->run == validate_run || cmd->run == build_run ||
	    cmd->run == probe_run || cmd->run == choose_run) {
		DIR *dir = opendir(opt.catalog_dir);
		if (!dir) {
			fprintf(stderr,
				"%s: error: cannot open the catalog "
				"folder: %s\n",
				opt.catalog_dir, strerror(errno));
			free(snapshot_default);
			free(templates_default);
			return EXIT_SYSTEM;
		}
		closedir(dir);
	}
	rc = cmd->run(&opt);
	free(snapshot_default);
	free(templates_default);
	return rc;
}
