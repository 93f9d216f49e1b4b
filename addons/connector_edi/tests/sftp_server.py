"""A real SFTP server on loopback (paramiko), serving a temporary folder, for tests."""

import logging
import os
import socket
import tempfile
import threading

import paramiko
from paramiko import SFTPAttributes, SFTPHandle, SFTPServer, SFTPServerInterface
from paramiko.sftp import SFTP_NO_SUCH_FILE, SFTP_OK


class _Server(paramiko.ServerInterface):
    def __init__(self, user, password):
        self.user, self.password = user, password

    def check_auth_password(self, username, password):
        ok = (username, password) == (self.user, self.password)
        return paramiko.AUTH_SUCCESSFUL if ok else paramiko.AUTH_FAILED

    def get_allowed_auths(self, username):
        return "password"

    def check_channel_request(self, kind, chanid):
        return (
            paramiko.OPEN_SUCCEEDED
            if kind == "session"
            else paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED
        )


class _Handle(SFTPHandle):
    def stat(self):
        return SFTPAttributes.from_stat(
            os.fstat(
                self.readfile.fileno() if hasattr(self, "readfile") else self.writefile.fileno()
            )
        )


class _Folder(SFTPServerInterface):
    """Serves ``root``; every path is taken relative to it."""

    root = None

    def _path(self, path):
        return os.path.join(self.root, path.lstrip("/"))

    def list_folder(self, path):
        try:
            return [
                SFTPAttributes.from_stat(os.stat(os.path.join(self._path(path), name)), name)
                for name in os.listdir(self._path(path))
            ]
        except FileNotFoundError:
            return SFTP_NO_SUCH_FILE

    def stat(self, path):
        try:
            return SFTPAttributes.from_stat(os.stat(self._path(path)))
        except FileNotFoundError:
            return SFTP_NO_SUCH_FILE

    lstat = stat

    def open(self, path, flags, attr):
        mode = "rb" if not flags & (os.O_WRONLY | os.O_RDWR) else "wb"
        try:
            handle_file = open(self._path(path), mode)
        except FileNotFoundError:
            return SFTP_NO_SUCH_FILE
        handle = _Handle(flags)
        handle.filename = self._path(path)
        if mode == "rb":
            handle.readfile = handle_file
        else:
            handle.writefile = handle_file
        return handle

    def remove(self, path):
        os.remove(self._path(path))
        return SFTP_OK

    def rename(self, oldpath, newpath):
        os.replace(self._path(oldpath), self._path(newpath))
        return SFTP_OK

    posix_rename = rename

    def mkdir(self, path, attr):
        os.makedirs(self._path(path), exist_ok=True)
        return SFTP_OK


logging.getLogger("connector_edi.tests.sftp_server").setLevel(logging.CRITICAL)


class SftpServer:
    """``with SftpServer() as server:`` serves ``server.root`` on ``server.port``."""

    def __init__(self, user="partner", password="secret"):
        self.user, self.password = user, password
        self.key = (
            paramiko.Ed25519Key.generate() if hasattr(paramiko.Ed25519Key, "generate") else None
        )
        self.key = self.key or paramiko.RSAKey.generate(2048)
        self.tmp = tempfile.TemporaryDirectory()
        self.root = self.tmp.name
        for folder in ("inbound", "outbound", "archive"):
            os.makedirs(os.path.join(self.root, folder))
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(5)
        self.socket.settimeout(0.5)
        self.port = self.socket.getsockname()[1]
        self.host_key = f"{self.key.get_name()} {self.key.get_base64()}"
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self.thread.join(timeout=5)
        self.socket.close()
        self.tmp.cleanup()

    def _serve(self):
        folder = type("Folder", (_Folder,), {"root": self.root})
        while not self._stop.is_set():
            try:
                connection, _address = self.socket.accept()
            except OSError:
                continue
            transport = paramiko.Transport(connection)
            transport.set_log_channel(
                "connector_edi.tests.sftp_server"
            )  # clients hanging up are not errors
            transport.add_server_key(self.key)
            transport.set_subsystem_handler("sftp", SFTPServer, folder)
            transport.start_server(server=_Server(self.user, self.password))

    def path(self, *parts):
        return os.path.join(self.root, *parts)
