# kfx's scripts reach the VM harness (harness/lib.sh) through this file:
# it sets KFX_HARNESS to the tree's harness/ and sources the library there.
KFX_HARNESS=${KFX_HARNESS:-$(cd "$(dirname "$0")/.." && pwd)/harness}
. "$KFX_HARNESS/lib.sh"
