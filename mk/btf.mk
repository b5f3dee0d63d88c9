# The "module BTF for the target kernel" concern lives in btf/ (its tools,
# its make fragment, its README); tests/btf tests it.
include btf/btf.mk
