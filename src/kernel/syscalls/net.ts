// Networking placeholder: no socket families yet (UDP on a virtual loopback is
// planned for the SOCKETS scenario). socket() fails as on a kernel built
// without the requested family.
import type { Handler } from "./types.js";
import { EAFNOSUPPORT, ENOTSOCK } from "../errno.js";

const socket: Handler = () => -EAFNOSUPPORT;
const notSock: Handler = () => -ENOTSOCK;

export const netCalls: Record<string, Handler> = {
  socket, socketpair: socket, bind: notSock, connect: notSock, sendto: notSock, recvfrom: notSock,
  sendmsg: notSock, recvmsg: notSock, listen: notSock, accept: notSock, accept4: notSock,
  getsockname: notSock, getpeername: notSock, setsockopt: notSock, getsockopt: notSock, shutdown: notSock,
};
