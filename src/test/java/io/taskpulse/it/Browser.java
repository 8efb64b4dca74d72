package io.taskpulse.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium driven by Selenium. On Debian (CI) it uses /usr/bin/chromium and /usr/bin/chromedriver;
 * elsewhere Selenium finds a browser itself. Screenshots go to target/screenshots/.
 */
final class Browser implements AutoCloseable {

    static final Duration PATIENCE = Duration.ofSeconds(20);

    private final ChromeDriver driver;

    Browser() {
        ChromeOptions options = new ChromeOptions();
        Path chromium = Path.of("/usr/bin/chromium");
        if (Files.isExecutable(chromium)) {
            options.setBinary(chromium.toFile());
        }
        try {
            Path profile = Files.createTempDirectory(Path.of(System.getProperty("it.tmp", "target")), "chromium-");
            options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--window-size=1280,900", "--lang=en-US", "--user-data-dir=" + profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path chromedriver = Path.of("/usr/bin/chromedriver");
        ChromeDriverService.Builder service = new ChromeDriverService.Builder();
        if (Files.isExecutable(chromedriver)) {
            service.usingDriverExecutable(chromedriver.toFile());
        }
        driver = new ChromeDriver(service.build(), options);
    }

    ChromeDriver driver() {
        return driver;
    }

    void open(String url) {
        driver.get(url);
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    String body(String dataKey) {
        return driver.findElement(By.tagName("body")).getDomAttribute("data-" + dataKey);
    }

    <T> T await(String what, Function<WebDriver, T> condition) {
        return await(what, PATIENCE, condition);
    }

    /**
     * Waits for a condition of the page. An element the page re-rendered between finding and reading it (a stale
     * reference) means "look again", as a missing one does: the page redraws the viewer and the board as data comes.
     */
    <T> T await(String what, Duration patience, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, patience).withMessage(what)
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(condition);
    }

    void screenshot(String name) {
        try {
            Path dir = Files.createDirectories(Path.of(System.getProperty("it.tmp", "target"), "screenshots"));
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), dir.resolve(name + ".png"),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
