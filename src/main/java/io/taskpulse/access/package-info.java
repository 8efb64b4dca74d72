/**
 * Owns who may do what.
 *
 * <h2>Writes</h2>
 * Writes to {@code /api/tasks}: with {@code taskpulse.write.token} set, every write needs
 * {@code Authorization: Bearer <token>} (compared in constant time) or gets 401; without it, only clients on this
 * machine (loopback) may write, a safe default for a demo, and others get 403. A write that carries the Origin of
 * another site's page gets 403 whatever the token (a browser on the server's machine would otherwise let any site's
 * form write there); {@code taskpulse.websocket.origins} lists origins allowed besides the page's own. Every method
 * but GET and HEAD under {@code /api} is a write (tasks, bulk reports, channels, rules). WebSocket handshakes from a browser
 * page of another origin get 403 and no session ({@code taskpulse.websocket.origins} lists extra allowed origins;
 * by default only the page's own origin, as the Host header names it).
 *
 * <h2>Reading</h2>
 * Open to anyone by default. With {@code taskpulse.read.role} set (e.g. {@code viewer}), the page and its files,
 * every GET of {@code /api/tasks}, {@code /api/feed} and the {@code /ws/tasks} handshake need a user in that role:
 * <ul>
 * <li>not logged in: the page gets the container's login form, programs (API, feed, WebSocket) get 401 with a
 * Basic challenge and a problem body, and no WebSocket session exists;</li>
 * <li>logged in without the role: 403 with a problem body;</li>
 * <li>open whatever the setting: {@code /health}, the login pages and their style, {@code POST /logout}; writes keep
 * the rule above and need no login.</li>
 * </ul>
 * Why this shape: a {@code security-constraint} in web.xml is fixed when the WAR is built, so it cannot be switched
 * on by configuration, and it cannot answer programs with 401 while showing people a login page. So web.xml only
 * says <em>how</em> to log in (the container's FORM login, {@code login.html}), and the {@code ReadAccess} filter
 * decides per request ({@link io.taskpulse.access.control.AccessRules#read}) and hands over to the container
 * ({@code request.authenticate}); programs send HTTP Basic credentials, checked against the same realm with
 * {@code request.login}, for that request only (no session is created). Users, passwords and groups therefore live
 * in the server's own realm (Payara's file realm, TomEE's tomcat-users.xml), never in TaskPulse.
 *
 * <h2>Logout</h2>
 * {@code POST /logout} ends the login and its HTTP session; every WebSocket opened under it is then closed with
 * 1008 (Jakarta WebSocket 7.2). Tomcat (TomEE) does that for all of a session's sockets (a set per HTTP session);
 * Tyrus (Payara 6) remembers only the newest socket per HTTP session, so with the board open in two tabs the older
 * socket would stay open (seen in ViewerAccessIT).
 * {@code LoginSockets} closes them all on every server, for endpoints that register with it (its configurator plus
 * {@code opened}/{@code closed} calls). An HTTP session that times out ends its sockets the same way; the page keeps
 * its session alive while it is open.
 */
package io.taskpulse.access;
