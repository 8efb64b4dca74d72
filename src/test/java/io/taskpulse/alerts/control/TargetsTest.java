package io.taskpulse.alerts.control;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class TargetsTest {

    private final Targets defaults = Targets.parse(null);

    @Test
    void byDefaultLoopbackPrivateAndLinkLocalAddressesAreRefused() {
        for (String host : new String[]{"127.0.0.1", "localhost", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
                "0.0.0.0", "100.64.0.1", "[::1]", "fe80::1", "fd00::1", "::ffff:127.0.0.1"}) {
            assertNotNull(defaults.refusal(host), host + " must be refused");
        }
        assertTrue(defaults.refusal("127.0.0.1").contains("loopback"));
    }

    @Test
    void aPublicAddressIsAllowedByDefault() throws Exception {
        assertNull(defaults.refusal("93.184.215.14"));
        assertNull(defaults.refusal("hooks.slack.example", InetAddress.getByName("1.1.1.1")));
    }

    @Test
    void theOperatorOptsInToAddressesAndNetworksAndNamesExplicitly() {
        Targets loopbackTwo = Targets.parse("127.0.0.2");
        assertNull(loopbackTwo.refusal("127.0.0.2"));
        assertNotNull(loopbackTwo.refusal("127.0.0.1"), "only the listed address");
        assertNotNull(loopbackTwo.refusal("93.184.215.14"), "without 'public', only what is listed");

        Targets office = Targets.parse("public, 10.0.0.0/8, *.corp.example");
        assertNull(office.refusal("10.200.3.4"));
        assertNotNull(office.refusal("192.168.1.1"));
        assertNull(office.refusal("hooks.corp.example"));
        assertNull(office.refusal("93.184.215.14"));
    }
}
