// src/core/thread_annotations.h
//
// Clang's thread-safety annotations (https://clang.llvm.org/docs/ThreadSafetyAnalysis.html)
// as macros, so a clang build checks at compile time that every member marked
// GUARDED_BY(mu_) is touched only with mu_ held. CMake adds -Wthread-safety
// -Werror=thread-safety to clang builds (SMARTOCR_THREAD_SAFETY). GCC has no such
// analysis, so there the macros expand to nothing.
//
// libstdc++'s std::mutex and std::lock_guard carry no annotations, so the analysis
// cannot see them lock anything: lock with core::Mutex and core::MutexLock
// (core/mutex.h), which are annotated.
//
//   class Counter {
//    public:
//     void Add() EXCLUDES(mu_) {
//       core::MutexLock lock(mu_);
//       ++n_;
//     }
//    private:
//     core::Mutex mu_;
//     int n_ GUARDED_BY(mu_) = 0;
//   };
#ifndef SMARTOCR_CORE_THREAD_ANNOTATIONS_H_
#define SMARTOCR_CORE_THREAD_ANNOTATIONS_H_

#if defined(__clang__)
#define SMARTOCR_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define SMARTOCR_THREAD_ANNOTATION(x)
#endif

// A class whose objects are locks (core::Mutex).
#define CAPABILITY(name) SMARTOCR_THREAD_ANNOTATION(capability(name))
// A class that holds a lock for its own lifetime (core::MutexLock).
#define SCOPED_CAPABILITY SMARTOCR_THREAD_ANNOTATION(scoped_lockable)
// A member read or written only with `mu` held.
#define GUARDED_BY(mu) SMARTOCR_THREAD_ANNOTATION(guarded_by(mu))
// A pointer member whose pointee is read or written only with `mu` held.
#define PT_GUARDED_BY(mu) SMARTOCR_THREAD_ANNOTATION(pt_guarded_by(mu))
// A function the caller must call with the locks held.
#define REQUIRES(...) SMARTOCR_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
// A function the caller must not call with the locks held (it takes them itself).
#define EXCLUDES(...) SMARTOCR_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
// A function that returns with the locks held that it was called without.
#define ACQUIRE(...) SMARTOCR_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
// A function that returns with the locks released that it was called with.
#define RELEASE(...) SMARTOCR_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
// A function that checks at run time that the lock is held (the analysis trusts it).
#define ASSERT_CAPABILITY(x) SMARTOCR_THREAD_ANNOTATION(assert_capability(x))
// Turns the analysis off for one function; say why next to each use.
#define NO_THREAD_SAFETY_ANALYSIS SMARTOCR_THREAD_ANNOTATION(no_thread_safety_analysis)

#endif  // SMARTOCR_CORE_THREAD_ANNOTATIONS_H_
