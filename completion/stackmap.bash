# bash completion for stackmap(1). `make install` puts it in
# $(PREFIX)/share/bash-completion/completions/stackmap; to try it from the
# source tree: source completion/stackmap.bash
#
# Completes the global options, the commands and each command's options;
# folder and file names where they are expected; and from the catalog
# (--catalog DIR, else ./catalog): vendor ids for probe --only (those with
# an api block, after commas too) and choose --via, model ids for choose
# --model. It needs nothing but bash.

# compgen prints one word a line, and ids hold no spaces:
# shellcheck disable=SC2207

# _stackmap_ids CATALOG KIND [API]: the ids of catalog/KIND/*.yaml (file
# names equal ids); with API, only vendors that have an api block.
_stackmap_ids()
{
	local f
	for f in "$1/$2"/*.yaml; do
		[[ -f $f ]] || continue
		if [[ -n ${3-} ]]; then
			grep -q '^api:' "$f" 2>/dev/null || continue
		fi
		f=${f##*/}
		printf '%s\n' "${f%.yaml}"
	done
}

_stackmap()
{
	local cur=${COMP_WORDS[COMP_CWORD]}
	local prev=
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	local catalog=catalog cmd='' expect='' i w

	# The catalog folder and the command, from the words before the cursor.
	# With '=' in COMP_WORDBREAKS, "--catalog=DIR" arrives as three words.
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		[[ $w == = ]] && continue
		if [[ -n $expect ]]; then
			[[ $expect == --catalog ]] && catalog=$w
			expect=
			continue
		fi
		case $w in
		--catalog=?*) catalog=${w#*=} ;;
		--catalog | --templates | --out | --snapshot) expect=$w ;;
		-*) ;;
		*)
			cmd=$w
			break
			;;
		esac
	done
	# The option whose value is being completed, in any of its spellings.
	[[ $cur == = ]] && cur=
	if [[ $prev == = ]] && ((COMP_CWORD > 1)); then
		prev=${COMP_WORDS[COMP_CWORD - 2]}
	fi
	local eq=
	if [[ $cur == --*=* ]]; then
		prev=${cur%%=*}
		eq=$prev=
		cur=${cur#*=}
	fi
	_stackmap_reply
	# An unsplit "--opt=value" is replaced whole: keep the "--opt=".
	if [[ -n $eq ]]; then
		COMPREPLY=("${COMPREPLY[@]/#/$eq}")
	fi
}

# _stackmap_reply: fills COMPREPLY from _stackmap's locals cur, prev, cmd,
# catalog (bash's dynamic scope).
_stackmap_reply()
{
	local commands="validate build probe diff schema choose init"
	local globals="--catalog --templates --out --snapshot --quiet --verbose
		--help --version -q -v -h -V"
	COMPREPLY=()
	case $prev in
	--catalog | --templates | --out)
		COMPREPLY=($(compgen -d -- "$cur"))
		return
		;;
	--snapshot)
		COMPREPLY=($(compgen -f -- "$cur"))
		return
		;;
	esac

	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$globals" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$commands" -- "$cur"))
		fi
		return
	fi

	local opts
	case $cmd in
	validate) opts="--strict --help" ;;
	build) opts="--jobs --force --help" ;;
	probe) opts="--only --jobs --timeout --accept-shrink --help" ;;
	diff) opts="--format --check --help" ;;
	schema) opts="--help" ;;
	choose)
		opts="--model --input-tokens --output-tokens --cached-share
			--require --via --layer --max-monthly --format --help"
		;;
	init) opts="--help" ;;
	*) return ;;
	esac

	case $prev in
	--only)
		local done_ids=''
		[[ $cur == *,* ]] && done_ids=${cur%,*},
		COMPREPLY=($(compgen -P "$done_ids" -W \
			"$(_stackmap_ids "$catalog" vendors api)" -- "${cur##*,}"))
		return
		;;
	--via)
		COMPREPLY=($(compgen -W "$(_stackmap_ids "$catalog" vendors)" \
			-- "$cur"))
		return
		;;
	--model)
		COMPREPLY=($(compgen -W "$(_stackmap_ids "$catalog" models)" \
			-- "$cur"))
		return
		;;
	--layer)
		COMPREPLY=($(compgen -W "model-lab inference-provider hyperscaler
			orchestration" -- "$cur"))
		return
		;;
	--require)
		COMPREPLY=($(compgen -W "openai-compatible" -- "$cur"))
		return
		;;
	--format)
		if [[ $cmd == choose ]]; then
			COMPREPLY=($(compgen -W "table md json" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "md json" -- "$cur"))
		fi
		return
		;;
	--jobs | --timeout | --input-tokens | --output-tokens | \
		--cached-share | --max-monthly)
		return
		;;
	esac

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		return
	fi
	case $cmd in
	schema) COMPREPLY=($(compgen -W "vendor model site primer" -- "$cur")) ;;
	diff) COMPREPLY=($(compgen -f -- "$cur")) ;;
	init) COMPREPLY=($(compgen -d -- "$cur")) ;;
	esac
}

complete -F _stackmap stackmap
