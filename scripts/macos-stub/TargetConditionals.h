/* A stand-in for the Apple SDK's TargetConditionals.h, for type-checking Gatewatch's macOS build
 * on Linux only (scripts/macos): ring's C build script includes it, and there is no Apple SDK
 * here. Nothing is linked or shipped with it. */
#ifndef GATEWATCH_TARGET_CONDITIONALS_STUB
#define GATEWATCH_TARGET_CONDITIONALS_STUB
#define TARGET_OS_MAC 1
#define TARGET_OS_OSX 1
#define TARGET_OS_IPHONE 0
#define TARGET_OS_IOS 0
#define TARGET_OS_WATCH 0
#define TARGET_OS_TV 0
#define TARGET_OS_SIMULATOR 0
#define TARGET_OS_EMBEDDED 0
#define TARGET_CPU_ARM64 1
#define TARGET_RT_LITTLE_ENDIAN 1
#define TARGET_RT_64_BIT 1
#endif
