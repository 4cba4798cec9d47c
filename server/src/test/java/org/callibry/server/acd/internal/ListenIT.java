package org.callibry.server.acd.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.callibry.server.testing.Audio;
import org.callibry.server.testing.Baresip;
import org.callibry.shared.testing.FreePorts;
import org.callibry.server.testing.Sipp;
import org.callibry.shared.api.dto.Accounts;
import org.callibry.shared.api.dto.Calls;
import org.callibry.shared.api.dto.Queues;
import org.callibry.shared.media.G711;
import org.callibry.shared.media.Goertzel;
import org.callibry.shared.media.Tones;
import org.junit.jupiter.api.Test;

/**
 * Listen, whisper and barge, each party sending its own tone: the caller 440 Hz (the test's socket behind
 * a SIPp caller), the agent 1000 Hz and the supervisor 700 Hz (baresips that answer by themselves). The
 * supervisor hears both parties; the caller hears the supervisor only in barge; the agent hears it once it
 * whispers.
 */
class ListenIT extends QueueTestSupport {

    @Test
    void listenWhisperAndBargeAreHeardByTheRightParties() throws Exception {
        Accounts.Account agent = account("51");
        Accounts.Account supervisor = account("52");
        Queues.Queue q = queue("548", Queues.Strategy.LINEAR, List.of(agent), null, null, null, null, null);
        Path agentTone = Audio.tone(tmp.resolve("agent.wav"), 1000, 40);
        Path supervisorTone = Audio.tone(tmp.resolve("supervisor.wav"), 700, 40);
        try (Baresip agentPhone = Baresip.start(tmp.resolve("agent"), aor(agent), agentTone, 40, null);
             Baresip supervisorPhone = Baresip.start(tmp.resolve("supervisor"), aor(supervisor), supervisorTone, 40, null);
             DatagramSocket phone = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            await(() -> admin.accounts().get(agent.id()).online() && admin.accounts().get(supervisor.id()).online(), "registered");
            phone.setSoTimeout(20);
            Path inject = Sipp.injection(tmp, "caller.csv", List.of(List.of(account("53").number(), PASSWORD, q.number())));
            Sipp.Running call = Sipp.start(tmp, "127.0.0.1:" + SIP_PORT, "uac-queue-wait.xml", FreePorts.udpAndTcp(), "-m", "1",
                    "-inf", inject.toString(), "-key", "caller_rtp", Integer.toString(phone.getLocalPort()));
            open.add(call);
            Talker caller = new Talker(phone);
            String callId = null;
            long deadline = System.currentTimeMillis() + 20_000;
            while (callId == null && System.currentTimeMillis() < deadline) {
                caller.talk(200);
                callId = admin.calls(null).stream().filter(c -> c.queueId() != null && c.queueId() == q.id()
                        && "ANSWERED".equals(c.state())).map(Calls.Call::id).findFirst().orElse(null);
            }
            assertThat(callId).as("the agent answered").isNotNull();

            admin.call("call.listen", new Calls.Listen(callId, supervisor.id(), Calls.ListenMode.LISTEN), Object.class);
            caller.talk(2500); // the supervisor's phone rings and answers
            short[] listening = caller.talk(3000);
            admin.call("call.listen", new Calls.Listen(callId, supervisor.id(), Calls.ListenMode.WHISPER), Object.class);
            caller.talk(500);
            short[] whispering = caller.talk(3000);
            admin.call("call.listen", new Calls.Listen(callId, supervisor.id(), Calls.ListenMode.BARGE), Object.class);
            caller.talk(500);
            short[] barging = caller.talk(3000);

            assertThat(share(listening, 1000)).as("the caller hears the agent").isGreaterThan(0.3);
            assertThat(share(listening, 700)).as("listen: the caller does not hear the supervisor").isLessThan(0.02);
            assertThat(share(whispering, 700)).as("whisper: the caller does not hear the supervisor").isLessThan(0.02);
            assertThat(share(barging, 700)).as("barge: the caller hears the supervisor").isGreaterThan(0.1);
            assertThat(share(barging, 1000)).as("barge: and still the agent").isGreaterThan(0.1);

            agentPhone.close();
            supervisorPhone.close();
            assertThat(agentPhone.waitFor(10)).isTrue();
            assertThat(supervisorPhone.waitFor(10)).isTrue();
            short[] supervisorHeard = samples(supervisorPhone.received());
            assertThat(share(supervisorHeard, 440)).as("the supervisor hears the caller").isGreaterThan(0.05);
            assertThat(share(supervisorHeard, 1000)).as("the supervisor hears the agent").isGreaterThan(0.05);
            short[] agentHeard = samples(agentPhone.received());
            assertThat(share(agentHeard, 440)).as("the agent hears the caller").isGreaterThan(0.05);
            assertThat(share(agentHeard, 700)).as("the agent hears the whispering supervisor").isGreaterThan(0.02);
        }
    }

    private static String aor(Accounts.Account a) {
        return "<sip:" + a.number() + "@127.0.0.1:" + SIP_PORT + ">;auth_pass=" + PASSWORD + ";answermode=auto";
    }

    private static double share(short[] s, int hz) {
        return s.length == 0 ? 0 : Goertzel.share(s, 0, s.length, 8000, hz);
    }

    /** The test's own phone: sends 440 Hz every 20 ms and keeps what it hears. */
    private static final class Talker {
        private final DatagramSocket socket;
        private final short[] tone = Tones.sine(440, 8000, 8000, 8000 * 10);
        private InetSocketAddress server;
        private int seq;

        Talker(DatagramSocket socket) {
            this.socket = socket;
        }

        short[] talk(long millis) throws Exception {
            java.io.ByteArrayOutputStream heard = new ByteArrayOutputStream();
            long end = System.currentTimeMillis() + millis;
            long nextSend = System.currentTimeMillis();
            while (System.currentTimeMillis() < end) {
                DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
                try {
                    socket.receive(p);
                    server = (InetSocketAddress) p.getSocketAddress();
                    short[] pcm = new short[p.getLength() - 12];
                    G711.decodeUlaw(p.getData(), 12, pcm.length, pcm, 0);
                    ByteBuffer b = ByteBuffer.allocate(pcm.length * 2).order(ByteOrder.LITTLE_ENDIAN);
                    for (short v : pcm) {
                        b.putShort(v);
                    }
                    heard.write(b.array());
                } catch (SocketTimeoutException e) {
                    // send on
                }
                if (server != null && System.currentTimeMillis() >= nextSend) {
                    nextSend += 20;
                    byte[] payload = new byte[160];
                    G711.encodeUlaw(tone, (seq % 400) * 160, 160, payload, 0);
                    byte[] rtp = new byte[172];
                    rtp[0] = (byte) 0x80;
                    rtp[2] = (byte) (seq >> 8);
                    rtp[3] = (byte) seq;
                    int ts = seq * 160;
                    rtp[4] = (byte) (ts >> 24);
                    rtp[5] = (byte) (ts >> 16);
                    rtp[6] = (byte) (ts >> 8);
                    rtp[7] = (byte) ts;
                    rtp[11] = 0x42;
                    System.arraycopy(payload, 0, rtp, 12, 160);
                    socket.send(new DatagramPacket(rtp, rtp.length, server));
                    seq++;
                }
            }
            ByteBuffer all = ByteBuffer.wrap(heard.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
            short[] out = new short[all.remaining() / 2];
            for (int i = 0; i < out.length; i++) {
                out[i] = all.getShort();
            }
            return out;
        }
    }

    /** The first channel of a WAV, resampled to nothing: Goertzel at 8 kHz needs 8 kHz; other rates are decimated. */
    private static short[] samples(Path wav) throws Exception {
        assertThat(wav).as("received audio written").exists();
        try (AudioInputStream in = AudioSystem.getAudioInputStream(wav.toFile())) {
            AudioFormat f = in.getFormat();
            byte[] data = in.readAllBytes();
            int channels = f.getChannels();
            int step = Math.max(1, Math.round(f.getSampleRate() / 8000));
            int frames = data.length / (2 * channels);
            ByteBuffer bb = ByteBuffer.wrap(data).order(f.isBigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            short[] out = new short[frames / step];
            for (int i = 0; i < out.length; i++) {
                out[i] = bb.getShort(i * step * 2 * channels);
            }
            return out;
        }
    }
}
