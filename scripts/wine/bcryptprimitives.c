/* A stand-in for Windows' bcryptprimitives.dll, for running Gatewatch's Windows build under
 * Wine 8 only (scripts/windows installs it into the throwaway Wine prefix the tests use).
 *
 * Rust's standard library asks bcryptprimitives.dll's ProcessPrng for random bytes (since
 * Rust 1.78); Windows 10 and later have it, Wine 8.0 does not, and every program would exit at
 * start. This passes the request on to advapi32's RtlGenRandom (SystemFunction036), which Wine
 * has. It is never shipped. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!SystemFunction036(data, n))
            return FALSE;
        data += n;
        len -= n;
    }
    return TRUE;
}
