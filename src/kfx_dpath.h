/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KFX_DPATH_H
#define KFX_DPATH_H

struct kfx_dentry_walk;

/* bpf_kfx_dentry_path's body: 0, or -EINVAL for a malformed block. */
int kfx_dentry_path(struct kfx_dentry_walk *w, u32 w_sz, char *buf, u32 sz);

#endif
