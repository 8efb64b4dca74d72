import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * heap-per-socket.sh's client: opens N idle WebSockets in two halves. After each half it prints one line on stdout
 * ("open K, complete first messages M") and waits for a line on stdin. With "first" it waits (at most 60 s) until each
 * socket has its first whole message (a snapshot in parts counts when its last part arrived); a socket without one
 * is described on stderr.
 */
public class Probe {

    static final class Client implements WebSocket.Listener {
        final CountDownLatch whole;
        final StringBuilder message = new StringBuilder();
        volatile boolean complete;
        volatile int frames;
        volatile String lastFrameStart = "";
        volatile String closed = "open";

        Client(CountDownLatch whole) {
            this.whole = whole;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
            closed = "closed " + code + " " + reason;
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            StringBuilder chain = new StringBuilder("error");
            for (Throwable t = error; t != null; t = t.getCause()) {
                chain.append(" / ").append(t);
            }
            closed = chain.toString();
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            frames++;
            if (!complete) {
                message.append(data);
                if (last) {
                    String text = message.toString();
                    lastFrameStart = text.substring(0, Math.min(120, text.length()));
                    message.setLength(0);
                    if (!text.contains("\"more\":true")) {
                        complete = true;
                        whole.countDown();
                    }
                }
            }
            ws.request(1);
            return null;
        }
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int n = Integer.parseInt(args[1]);
        boolean waitFirst = args.length < 3 || !args[2].equals("nofirst");
        HttpClient http = HttpClient.newHttpClient();
        List<WebSocket> open = new ArrayList<>();
        List<Client> clients = new ArrayList<>();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        for (int half = 0; half < 2; half++) {
            CountDownLatch whole = new CountDownLatch(waitFirst ? n / 2 : 0);
            for (int i = 0; i < n / 2; i++) {
                Client client = new Client(whole);
                clients.add(client);
                open.add(http.newWebSocketBuilder().buildAsync(URI.create(url), client).get(10, TimeUnit.SECONDS));
            }
            if (!whole.await(60, TimeUnit.SECONDS)) {
                for (int i = 0; i < clients.size(); i++) {
                    Client client = clients.get(i);
                    if (!client.complete) {
                        System.err.println("socket " + i + " has no whole first message after 60 s: " + client.frames
                                + " frames, " + client.closed + ", the last beginning " + client.lastFrameStart);
                    }
                }
            }
            System.out.println("open " + open.size() + ", complete first messages "
                    + clients.stream().filter(c -> c.complete).count());
            in.readLine();
        }
    }
}
