/* fuzz_srt.c — an .srt file from memory: fuzz_vtt.c with the SRT reader. */
#define FUZZ_VTT 0
#include "fuzz_vtt.c"
