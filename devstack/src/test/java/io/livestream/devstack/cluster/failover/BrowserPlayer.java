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
     * and its last 60 media and playlist requests with their timings (ms since page load) and HTTP status.
     */
    String diagnostics() {
        synchronized (page) {
            Object text = ((JavascriptExecutor) page).executeScript("""
                    const v = document.getElementById('video');
                    const ranges = [];
                    for (let i = 0; i < v.buffered.length; i++) ranges.push(v.buffered.start(i).toFixed(2) + '-' + v.buffered.end(i).toFixed(2));
                    const lines = ['currentTime ' + v.currentTime.toFixed(2) + ' buffered ' + ranges.join(' ')
                        + ' latency ' + (window.hls ? window.hls.latency : '?') + ' fatal ' + (window.playerState && window.playerState.fatalError)];
                    for (const e of performance.getEntriesByType('resource').filter(e => e.name.includes('/live/')).slice(-60)) {
                      lines.push(Math.round(e.startTime) + ' +' + Math.round(e.responseStart - e.startTime) + ' +' + Math.round(e.responseEnd - e.startTime)
                          + ' ' + (e.responseStatus || '') + ' ' + e.name.replace(new RegExp('^.*/live/[^/]+/'), ''));
                    }
                    return lines.join(String.fromCharCode(10));""");
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
