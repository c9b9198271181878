package dev.resilience.spring.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.ResilienceRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The live page in a real headless Chromium: it shows the breaker, and a forced open reaches it
 * through the stream without a reload. Skipped, with a banner saying what to install, where no
 * Chromium and chromedriver are installed ({@code .ci/run} installs them on CI).
 */
@SpringBootTest(
    classes = DashboardApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "resilience.dashboard.enabled=true")
class DashboardBrowserTest {

  /** Where Debian's chromium-driver puts it; Selenium Manager cannot download one here. */
  private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  private static WebDriver browser;

  @LocalServerPort int port;

  @Autowired ResilienceRegistry registry;

  @BeforeAll
  static void startBrowser() {
    boolean installed = Files.isExecutable(DRIVER) && Files.isExecutable(CHROMIUM);
    if (!installed) {
      System.err.println(
          """

          ************************************************************************************
          * SKIPPED: DashboardBrowserTest (the live page in a real browser) needs Chromium   *
          * and chromedriver at /usr/bin. Install them: apt-get install -y chromium          *
          * chromium-driver (.ci/run does so when it can).                                   *
          ************************************************************************************
          """);
    }
    assumeTrue(
        installed,
        "Chromium and chromedriver are not installed at /usr/bin: "
            + "apt-get install -y chromium chromium-driver");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(DRIVER.toFile())
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(service, options);
    // a phone's viewport: the page must fit it without sideways scrolling
    browser.manage().window().setSize(new Dimension(390, 844));
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  void whenTheBreakerIsForcedOpenThenThePageShowsItOpenWithinTwoSecondsWithoutReloading() {
    CircuitBreaker exchange = registry.circuitBreaker("exchange");
    exchange.reset();
    try {
      browser.get("http://localhost:" + port + "/resilience");
      By state = By.cssSelector("tr[data-breaker='exchange'] .state");
      new WebDriverWait(browser, Duration.ofSeconds(10))
          .until(ExpectedConditions.textToBe(state, "CLOSED"));
      assertThat(browser.findElement(state).getCssValue("background-color"))
          .as("CLOSED in green")
          .isEqualTo("rgba(26, 127, 55, 1)");
      assertThat(browser.findElement(By.id("connection")).getText()).isEqualTo("live");
      assertThat(browser.findElement(By.cssSelector("tr[data-bucket='place_order']")).getText())
          .startsWith("place_order");
      JavascriptExecutor page = (JavascriptExecutor) browser;
      assertThat(page.executeScript("return document.documentElement.scrollWidth <= innerWidth"))
          .as("fits a phone's width")
          .isEqualTo(true);
      page.executeScript("window.sameDocument = true");

      exchange.forceOpen();

      new WebDriverWait(browser, Duration.ofSeconds(2))
          .until(ExpectedConditions.textToBe(state, "OPEN"));
      assertThat(page.executeScript("return window.sameDocument === true"))
          .as("no reload")
          .isEqualTo(true);
      assertThat(browser.findElement(state).getCssValue("background-color"))
          .as("OPEN in red")
          .isEqualTo("rgba(198, 40, 40, 1)");
      new WebDriverWait(browser, Duration.ofSeconds(2))
          .until(
              ExpectedConditions.textToBePresentInElementLocated(
                  By.cssSelector("#events li[data-kind='transition']"), "exchange: CLOSED → OPEN"));
    } finally {
      exchange.reset();
    }
  }
}
