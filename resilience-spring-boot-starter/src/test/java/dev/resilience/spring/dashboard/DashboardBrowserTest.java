package dev.resilience.spring.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.resilience.core.AdaptiveLimit;
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
import org.springframework.web.client.HttpServerErrorException;

/**
 * The live page in a real headless Chromium: it shows the breaker, and a forced open reaches it
 * through the stream without a reload; it shows the adaptive limit, why it last moved and its
 * chart, and a drop reaches them too. Skipped, with a banner saying what to install, where no
 * Chromium and chromedriver are installed ({@code .ci/run} installs them on CI).
 */
@SpringBootTest(
    classes = DashboardApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      DashboardApplication.DASHBOARD,
      DashboardApplication.ADAPTIVE_QUOTE,
      DashboardApplication.QUOTE_INITIAL,
      DashboardApplication.QUOTE_MAX
    })
class DashboardBrowserTest {

  /** Where Debian's chromium-driver puts it; Selenium Manager cannot download one here. */
  private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  private static WebDriver browser;

  @LocalServerPort int port;

  @Autowired ResilienceRegistry registry;

  @Autowired DashboardApplication.Exchange exchange;

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

  @Test
  void whenACallIsDroppedThenThePageShowsTheShrunkLimitWhyAndAChartThatStepsDown() {
    registry.circuitBreaker("exchange").reset();
    AdaptiveLimit quote = registry.guards().get("quote").adaptiveLimit();
    int limit = quote.limit();
    browser.get("http://localhost:" + port + "/resilience");
    By shown = By.cssSelector("li[data-adaptive='quote'] .limit");
    By why = By.cssSelector("li[data-adaptive='quote'] .why");
    By chart = By.cssSelector("li[data-adaptive='quote'] svg");
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(10));
    wait.until(ExpectedConditions.textToBe(shown, "limit " + limit));
    assertThat(
            browser.findElement(By.cssSelector("li[data-adaptive='quote'] .in-flight")).getText())
        .isEqualTo("0 in flight");
    assertThat(browser.findElements(By.cssSelector("[data-adaptive='place_order']")))
        .as("place_order has no adaptive limit: nothing shown for it")
        .isEmpty();
    assertThat(browser.findElement(chart).getAttribute("data-points")).isEqualTo("1");
    JavascriptExecutor page = (JavascriptExecutor) browser;
    page.executeScript("window.sameDocument = true");

    assertThatThrownBy(() -> exchange.quote(true)).isInstanceOf(HttpServerErrorException.class);

    int shrunk = quote.limit();
    assertThat(shrunk).as("the drop shrank the limit").isLessThan(limit);
    new WebDriverWait(browser, Duration.ofSeconds(3))
        .until(ExpectedConditions.textToBe(shown, "limit " + shrunk));
    assertThat(page.executeScript("return window.sameDocument === true"))
        .as("no reload")
        .isEqualTo(true);
    assertThat(browser.findElement(why).getText())
        .startsWith(limit + " → " + shrunk + ": drop: 503 at ");
    wait.until(ExpectedConditions.attributeToBe(chart, "data-points", "2"));
    assertThat(browser.findElement(chart).getAttribute("aria-label"))
        .isEqualTo("limit over the last 5 minutes: " + limit + ", " + shrunk);
    String[] points =
        browser
            .findElement(By.cssSelector("li[data-adaptive='quote'] polyline"))
            .getAttribute("points")
            .split(" ");
    assertThat(points).as("the old limit, the step down, the new limit held until now").hasSize(4);
    assertThat(y(points[1])).as("the old limit held until the drop").isEqualTo(y(points[0]));
    assertThat(y(points[2])).as("the step goes down: a larger y").isGreaterThan(y(points[1]));
    assertThat(y(points[3])).as("the new limit held until now").isEqualTo(y(points[2]));
    assertThat(page.executeScript("return document.documentElement.scrollWidth <= innerWidth"))
        .as("fits a phone's width")
        .isEqualTo(true);
    registry.circuitBreaker("exchange").reset();
  }

  private static double y(String point) {
    return Double.parseDouble(point.substring(point.indexOf(',') + 1));
  }
}
