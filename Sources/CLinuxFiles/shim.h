#ifndef CLAIMLEDGER_CLINUXFILES_SHIM_H
#define CLAIMLEDGER_CLINUXFILES_SHIM_H
/* Linux file calls that Glibc's Swift module does not export (they need _GNU_SOURCE). Declared here
   under names of our own, bound to glibc's symbols, so that they cannot clash with a declaration that
   another module makes visible. */

/* fallocate(2) with 64-bit offsets (glibc's fallocate64). */
int claimledger_fallocate(int fd, int mode, long long offset, long long length) __asm__("fallocate64");

/* sync_file_range(2) with 64-bit offsets: starts the writeback of a range without waiting for it (a hint;
   durability still comes from fsync). */
int claimledger_sync_file_range(int fd, long long offset, long long nbytes, unsigned int flags) __asm__("sync_file_range");
#define CLAIMLEDGER_SYNC_FILE_RANGE_WRITE 0x02

/* linux/falloc.h */
#define CLAIMLEDGER_FALLOC_FL_KEEP_SIZE 0x01
#define CLAIMLEDGER_FALLOC_FL_PUNCH_HOLE 0x02

#endif
