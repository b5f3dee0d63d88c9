# In-guest helpers (check, dmesg_block) live in the harness; the guest sees
# the whole tree, so kfx's guest scripts source it from there.
. "$(dirname "$0")/../harness/guest-lib.sh"
