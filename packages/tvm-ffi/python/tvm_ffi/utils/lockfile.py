"""``FileLock``: an advisory cross-process lock on a file."""

import os
import sys
import time

if sys.platform.startswith("win32"):
    import msvcrt
else:
    import fcntl


class FileLock:
    """Advisory lock on ``lock_file_path`` (flock on Unix, msvcrt.locking on Windows)."""

    def __init__(self, lock_file_path):
        self.lock_file_path = lock_file_path
        self._fd = None

    def acquire(self):
        """Try to take the lock without blocking; True on success."""
        try:
            if sys.platform.startswith("win32"):
                fd = os.open(self.lock_file_path, os.O_RDWR | os.O_CREAT)
                try:
                    msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
                except OSError:
                    os.close(fd)
                    return False
            else:
                fd = os.open(self.lock_file_path, os.O_WRONLY | os.O_CREAT, 0o644)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except (BlockingIOError, PermissionError):
                    os.close(fd)
                    return False
            self._fd = fd
            return True
        except Exception as err:  # pylint: disable=broad-except
            raise RuntimeError(
                "Failed to acquire lock on %s: %s" % (self.lock_file_path, err)
            ) from err

    def blocking_acquire(self, timeout=None, poll_interval=0.1):
        """Wait for the lock (TimeoutError after ``timeout`` seconds)."""
        start = time.time()
        while True:
            if self.acquire():
                return True
            if timeout is not None and time.time() - start >= timeout:
                raise TimeoutError("Timed out waiting for lock on " + str(self.lock_file_path))
            time.sleep(poll_interval)

    def release(self):
        """Release the lock."""
        if self._fd is None:
            return
        try:
            if sys.platform.startswith("win32"):
                try:
                    msvcrt.locking(self._fd, msvcrt.LK_UNLCK, 1)
                except OSError:
                    pass
            else:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            os.close(self._fd)
            self._fd = None

    def __enter__(self):
        self.blocking_acquire()
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        self.release()
        return False
