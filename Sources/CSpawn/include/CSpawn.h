#ifndef FENXIAO_CSPAWN_H
#define FENXIAO_CSPAWN_H

#include <spawn.h>

/// Adds "close every descriptor from `from` up" to `actions` (glibc's
/// posix_spawn_file_actions_addclosefrom_np, declared only under _GNU_SOURCE, which the
/// Swift Glibc module does not define). Returns 0 or an errno value.
int fenxiao_spawn_closefrom(posix_spawn_file_actions_t *actions, int from);

#endif
