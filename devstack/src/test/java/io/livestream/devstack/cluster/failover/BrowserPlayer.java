package io.livestream.devstack.cluster.failover;

import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * hls.js in headless Debian Chromium on the watch page, sampled every 250 ms: the video's currentTime (a stall is
 * wall time without it advancing) and hls.js's fatal error, if any.
 */
final class BrowserPlayer implements AutoCloseable {
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    record Sample(long nanos, double currentTime) {}

    /**
     * Installed once hls.js exists: a ring of what the player did (its events, the video element's waits and every
     * request with its timings), for {@link #diagnostics()}. Resource timing alone fills its 250-entry buffer in the
     * first half-minute, after which the page records no more requests.
     */
    private static final String RECORDER = """
            if (window.hls && window.Hls && !window.__diag) {
              const ring = window.__diag = [];
              const push = s => { ring.push(Math.round(performance.now()) + ' ' + s); if (ring.length > 4000) ring.shift(); };
              const E = Hls.Events;
              window.hls.on(E.ERROR, (_, d) => push('ERROR ' + d.type + ' ' + d.details + (d.fatal ? ' FATAL' : '')
                  + (d.frag ? ' level ' + d.frag.level + ' sn ' + d.frag.sn : '') + (d.part ? ' part ' + d.part.index : '')
                  + (d.response ? ' status ' + d.response.code : '')));
              window.hls.on(E.LEVEL_SWITCHING, (_, d) => push('LEVEL_SWITCHING ' + d.level));
              window.hls.on(E.LEVEL_UPDATED, (_, d) => push('LEVEL_UPDATED ' + d.level + ' sn ' + d.details.startSN + '-' + d.details.endSN
                  + ' parts ' + (d.details.partList ? d.details.partList.length : 0) + (d.details.live ? '' : ' ended')));
              window.hls.on(E.FRAG_LOADING, (_, d) => push('FRAG_LOADING ' + d.frag.level + ' sn ' + d.frag.sn + (d.part ? '.' + d.part.index : '')));
              window.hls.on(E.FRAG_BUFFERED, (_, d) => push('FRAG_BUFFERED ' + d.frag.level + ' sn ' + d.frag.sn + (d.part ? '.' + d.part.index : '')
                  + ' pts ' + d.frag.start.toFixed(2)));
              for (const name of ['waiting', 'stalled', 'playing', 'seeking', 'seeked', 'pause']) {
                document.getElementById('video').addEventListener(name, () => push('video ' + name + ' at '
                    + document.getElementById('video').currentTime.toFixed(2)));
              }
              new PerformanceObserver(list => { for (const e of list.getEntries()) if (e.name.includes('/live/')) {
                push('REQ +' + Math.round(e.responseStart - e.startTime) + ' +' + Math.round(e.responseEnd - e.startTime) + ' '
                    + (e.responseStatus || '') + ' ' + e.name.replace(new RegExp('^.*/live/[^/]+/'), '') + ' started ' + Math.round(e.startTime));
              } }).observe({ type: 'resource' });
              performance.clearResourceTimings();
            }""";

    private final WebDriver page;
    private final Thread sampler;
    final List<Sample> samples = new CopyOnWriteArrayList<>();
    final List<String> fatalErrors = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;

    BrowserPlayer(String url) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--mute-audio", "--autoplay-policy=no-user-gesture-required", "--window-size=960,600");
        page = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).build(), options);
        page.get(url);
        sampler = new Thread(this::sample, "browser-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    private void sample() {
        while (running) {
            try {
                synchronized (page) {
                    ((JavascriptExecutor) page).executeScript(RECORDER);
                    Object time = ((JavascriptExecutor) page).executeScript("return document.getElementById('video').currentTime");
                    samples.add(new Sample(System.nanoTime(), time instanceof Number n ? n.doubleValue() : 0));
                    Object fatal = ((JavascriptExecutor) page).executeScript("return window.playerState && window.playerState.fatalError");
                    if (fatal != null && (fatalErrors.isEmpty() || !fatalErrors.get(fatalErrors.size() - 1).equals(fatal.toString()))) {
                        fatalErrors.add(fatal.toString());
                    }
                }
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) return;
            }
        }
    }

    double currentTime() {
        return samples.isEmpty() ? 0 : samples.get(samples.size() - 1).currentTime();
    }

    /** The longest wall time in [from, to] during which the video did not advance. */
    Duration stall(long fromNanos, long toNanos) {
        long worst = 0;
        long frozenSince = -1;
        double last = -1;
        for (Sample s : samples) {
            if (s.nanos() < fromNanos || s.nanos() > toNanos) continue;
            if (last >= 0 && s.currentTime() <= last + 0.01) {
                if (frozenSince < 0) frozenSince = s.nanos();
                worst = Math.max(worst, s.nanos() - frozenSince);
            } else {
                frozenSince = -1;
            }
            last = s.currentTime();
        }
        return Duration.ofNanos(worst);
    }

    /**
     * What hls.js was doing, for a stall worth looking into: the video's position and buffered ranges, hls.js's latency
     * and the recorder's ring (ms since page load): hls.js's events, the video element's waits, every media and playlist
     * request with its timings and HTTP status.
     */
    String diagnostics() {
        synchronized (page) {
            Object text = ((JavascriptExecutor) page).executeScript("""
                    const v = document.getElementById('video');
                    const ranges = [];
                    for (let i = 0; i < v.buffered.length; i++) ranges.push(v.buffered.start(i).toFixed(2) + '-' + v.buffered.end(i).toFixed(2));
                    const lines = ['now ' + Math.round(performance.now()) + ' currentTime ' + v.currentTime.toFixed(2) + ' buffered ' + ranges.join(' ')
                        + ' latency ' + (window.hls ? window.hls.latency : '?') + ' fatal ' + (window.playerState && window.playerState.fatalError)];
                    return lines.concat(window.__diag || ['(no recorder: hls.js never loaded)']).join(String.fromCharCode(10));""");
            return String.valueOf(text);
        }
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
        synchronized (page) {
            page.quit();
        }
    }

    static Duration maxOf(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
