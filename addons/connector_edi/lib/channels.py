"""Where interchanges come from and go to, besides HTTP: a local folder or an
SFTP server (paramiko). Both list, read, date, write and archive files by name."""

import os
import posixpath
from pathlib import Path

import paramiko


class FolderChannel:
    def __init__(self, root):
        self.root = Path(root)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def list(self, folder):
        path = self.root / folder
        return sorted(p.name for p in path.iterdir() if p.is_file()) if path.is_dir() else []

    def read_file(self, folder, name):
        return (self.root / folder / name).read_bytes()

    def modified(self, folder, name):
        return (self.root / folder / name).stat().st_mtime

    def write_file(self, folder, name, data):
        path = self.root / folder
        path.mkdir(parents=True, exist_ok=True)
        temporary = path / f".{name}.part"
        temporary.write_bytes(data)
        os.replace(temporary, path / name)  # the partner never sees half a file

    def archive(self, folder, name, archive):
        if archive:
            (self.root / archive).mkdir(parents=True, exist_ok=True)
            os.replace(self.root / folder / name, self.root / archive / name)
        else:
            (self.root / folder / name).unlink()


class SftpChannel:
    """An SFTP session; the server's host key must be the one configured."""

    def __init__(self, host, port, user, password, host_key=None, timeout=20):
        self.host, self.port, self.user, self.password = host, port, user, password
        self.host_key, self.timeout = host_key, timeout
        self.transport = self.sftp = None

    def __enter__(self):
        self.transport = paramiko.Transport((self.host, self.port))
        try:
            self.transport.banner_timeout = self.timeout
            self.transport.start_client(timeout=self.timeout)
            key = self.transport.get_remote_server_key()
            if self.host_key and f"{key.get_name()} {key.get_base64()}" != " ".join(
                self.host_key.split()[:2]
            ):
                raise paramiko.SSHException(f"host key of {self.host} is not the configured one")
            self.transport.auth_password(self.user, self.password)
            self.sftp = paramiko.SFTPClient.from_transport(self.transport)
        except BaseException:
            self.transport.close()  # its thread would otherwise outlive the failure
            raise
        return self

    def __exit__(self, *exc):
        if self.sftp:
            self.sftp.close()
        if self.transport:
            self.transport.close()
        return False

    def list(self, folder):
        try:
            return sorted(
                entry.filename
                for entry in self.sftp.listdir_attr(folder)
                if entry.st_mode is None or not (entry.st_mode & 0o040000)
            )
        except FileNotFoundError:
            return []

    def read_file(self, folder, name):
        with self.sftp.open(posixpath.join(folder, name), "rb") as handle:
            return handle.read()

    def modified(self, folder, name):
        return self.sftp.stat(posixpath.join(folder, name)).st_mtime

    def write_file(self, folder, name, data):
        temporary = posixpath.join(folder, f".{name}.part")
        with self.sftp.open(temporary, "wb") as handle:
            handle.write(data)
        self.sftp.posix_rename(temporary, posixpath.join(folder, name))

    def archive(self, folder, name, archive):
        if archive:
            self.sftp.posix_rename(posixpath.join(folder, name), posixpath.join(archive, name))
        else:
            self.sftp.remove(posixpath.join(folder, name))
