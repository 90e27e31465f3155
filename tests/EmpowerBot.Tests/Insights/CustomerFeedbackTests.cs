using System.Net;
using EmpowerBot.Storage;
using EmpowerBot.Tests.Fixtures;
using EmpowerBot.Tests.QuietTime;

namespace EmpowerBot.Tests.Insights;

/// <summary>
/// The customer's voice: the survey tool posts "customer-feedback" to the signed /api/signals. Each rating is kept for
/// the team that served the customer, praise becomes the team's good news (the rep hears it), and the team view shows
/// how customers who got a credit rated us against everyone else.
/// </summary>
public sealed class CustomerFeedbackTests : IAsyncLifetime
{
    private QuietBot q = null!;

    public async Task InitializeAsync() => q = await QuietBot.StartAsync(reps: 3);

    public async Task DisposeAsync() => await q.DisposeAsync();

    private static object Rating(string customer, int score, string? comment = null, int? rep = null, string? id = null, string? at = null) => new
    {
        type = "customer-feedback", customer, score, comment, email = rep is { } r ? QuietBot.Email(r) : null, tenant = Activities.Tenant, id, at,
    };

    private static object Batch(params object[] events) => new { id = Guid.NewGuid().ToString("N"), events };

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(object body)
    {
        using var response = await q.SignalAsync(body);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<List<TableEntity>> RatingsAsync(string team = "demo") =>
        await q.Bot.RowsAsync(Tables.Feedback, $"{Activities.Tenant}|{team}|2026-11");

    [Fact]
    public async Task Praise_for_a_named_rep_is_kept_for_their_team_shared_as_good_news_and_the_rep_hears_it()
    {
        await q.SayAsync(1, "hello");
        var (status, body) = await SendAsync(Batch(Rating("ACME-1042", 5, "Priya sorted my refund in two minutes, brilliant", rep: 1, id: "survey-1")));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("\"accepted\":1", body);
        var row = Assert.Single(await RatingsAsync());
        Assert.Equal(("ACME-1042", 5L, QuietBot.Key(1)), (row.GetString("customer"), row.GetInt64("score"), row.GetString("rep")));
        Assert.Contains("Kudos from a customer you helped (ACME-1042), who rated us 5 of 5", await q.WaitForAsync(1, "Kudos from a customer"));
        var team = await q.ManagerSaysAsync("team");
        Assert.Contains("Priya sorted my refund in two minutes, brilliant", team);
        Assert.Contains("a customer (ACME-1042)", team);
        Assert.Contains("1 customer rating this month, 5.0 of 5 on average", team);
    }

    [Fact]
    public async Task The_team_view_shows_how_customers_who_got_a_credit_rated_us_against_everyone_else()
    {
        Assert.Contains("Credit applied", await q.SayAsync(0, "credit $10 to ACME-1 for late delivery"));
        Assert.Contains("Credit applied", await q.SayAsync(2, "credit $12 to acme-2 for a damaged item"));
        q.Clock.Advance(TimeSpan.FromHours(2));

        await q.SignalOkAsync(Batch(Rating("#acme-1", 5), Rating("ACME-2", 4), Rating("ACME-3", 2, rep: 0), Rating("ACME-4", 1, rep: 1)));

        var team = await q.ManagerSaysAsync("team");
        Assert.Contains("What customers said", team);
        Assert.Contains("4 customer ratings this month, 3.0 of 5 on average", team);
        Assert.Contains("Customers who got a credit: 4.5 of 5 (2 ratings); everyone else: 1.5 of 5 (2 ratings)", team);
        // No person's figures: the view never says who handled which customer or how each rep was rated.
        Assert.DoesNotContain("Alex", team);
        Assert.DoesNotContain("Priya", team);
    }

    [Fact]
    public async Task Without_a_rep_the_rating_goes_to_the_team_that_last_credited_the_customer_and_an_unknown_customer_is_kept_without_a_team()
    {
        await q.SayAsync(1, "credit $10 to ACME-77 for late delivery");

        await q.SignalOkAsync(Batch(Rating("ACME-77", 3, "ok in the end"), Rating("NEW-5", 2, "never heard back")));

        Assert.Equal("ACME-77", Assert.Single(await RatingsAsync()).GetString("customer"));
        var kept = Assert.Single(await RatingsAsync("-"));
        Assert.Equal(("NEW-5", "never heard back"), (kept.GetString("customer"), kept.GetString("comment")));
    }

    [Fact]
    public async Task The_same_rating_sent_twice_is_recorded_once_and_its_praise_shared_once()
    {
        await q.SayAsync(2, "hello");
        var rating = Rating("ACME-9", 5, "Lovely service", rep: 2, id: "survey-42", at: "2026-11-23T14:30:00Z");

        await q.SignalOkAsync(Batch(rating));
        await q.SignalOkAsync(Batch(rating)); // resent, signed afresh, as a sender retrying after a timeout does
        await q.SignalOkAsync(Batch(Rating("ACME-9", 5, "Lovely service", rep: 2, at: "2026-11-23T14:30:00Z")));
        await q.SignalOkAsync(Batch(Rating("ACME-9", 5, "Lovely service", rep: 2, at: "2026-11-23T14:30:00Z")));

        Assert.Equal(2, (await RatingsAsync()).Count); // the one with the survey's id, and the one without, each once
        await q.WaitForAsync(2, "Lovely service", count: 2);
        await q.Bot.OutboxIdleAsync();
        Assert.Equal(2, q.SentTo(2).Count(m => m.Contains("Lovely service")));
        Assert.Equal(2, (await q.Bot.RowsAsync(Tables.Kudos, $"{Activities.Tenant}|demo|2026-11")).Count(r => !r.RowKey.StartsWith("seen|")));
    }

    [Fact]
    public async Task A_low_rating_whose_words_match_an_open_obstacle_counts_as_its_evidence_once_per_rating()
    {
        Assert.Contains("logged as #1", await q.SayAsync(0, "obstacle the refund tool freezes when I open an order"));

        const string Complaint = "the refund tool freezes when you open an order, my refund took ages";
        await q.SignalOkAsync(Batch(Rating("ACME-5", 1, Complaint, id: "r-1"), Rating("ACME-6", 5, Complaint, id: "r-2"), Rating("ACME-7", 2, "nobody called me back", id: "r-3")));
        await q.SignalOkAsync(Batch(Rating("ACME-5", 1, Complaint, id: "r-1"))); // the same rating again

        var board = await q.SayAsync(1, "obstacles");
        Assert.Contains("1 customer said the same", board);
        Assert.Contains("1 customer said the same", await q.ManagerSaysAsync("team"));
    }

    [Fact]
    public async Task Low_ratings_arriving_at_once_each_count_once()
    {
        await q.SayAsync(0, "obstacle the refund tool freezes when I open an order");

        var sends = Enumerable.Range(0, 12).Select(i => SendAsync(Batch(Rating($"ACME-{100 + i}", 1, "the refund tool freezes when you open an order", id: $"burst-{i}"))));
        Assert.All(await Task.WhenAll(sends), r => Assert.Equal(HttpStatusCode.OK, r.Status));

        var obstacle = (await q.Bot.RowsAsync(Tables.Obstacles, Activities.Tenant)).Single(r => r.RowKey == "1");
        Assert.Equal(12, obstacle.GetInt64("evidence"));
        Assert.Equal(12, (await q.Bot.RowsAsync(Tables.Obstacles, Activities.Tenant)).Count(r => r.RowKey.StartsWith("evidence|1|")));
    }

    [Fact]
    public async Task Ratings_sent_to_two_instances_at_once_are_each_recorded_once_and_counted_once()
    {
        using var other = new BotHost(new() { ["QuietTime:SignalsSecret"] = QuietBot.Secret, ["Storage:SqlitePath"] = q.Bot.DatabasePath }, q.Clock);
        await q.SayAsync(0, "obstacle the refund tool freezes when I open an order");
        const string Complaint = "the refund tool freezes when you open an order";

        // The same rating to both instances twice each, and six different ones split between them, all at once.
        var same = Enumerable.Range(0, 4).Select(i => SignedAsync(i % 2 == 0 ? q.Bot : other, Batch(Rating("ACME-5", 1, Complaint, id: "twice"))));
        var different = Enumerable.Range(0, 6).Select(i => SignedAsync(i % 2 == 0 ? q.Bot : other, Batch(Rating($"ACME-{200 + i}", 2, Complaint, id: $"split-{i}"))));
        Assert.All(await Task.WhenAll(same.Concat(different)), status => Assert.Equal(HttpStatusCode.OK, status));

        Assert.Equal(7, (await RatingsAsync("-")).Count + (await RatingsAsync()).Count);
        var rows = await q.Bot.RowsAsync(Tables.Obstacles, Activities.Tenant);
        Assert.Equal(7, rows.Single(r => r.RowKey == "1").GetInt64("evidence"));
        Assert.Equal(7, rows.Count(r => r.RowKey.StartsWith("evidence|1|")));
    }

    /// <summary>POSTs a signed signals request to <paramref name="host"/>, as the survey tool does.</summary>
    private async Task<HttpStatusCode> SignedAsync(BotHost host, object body)
    {
        var json = System.Text.Json.JsonSerializer.Serialize(body);
        var ts = q.Clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/signals") { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add(EmpowerBot.Outbox.WebhookSignature.TimestampHeader, ts.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(EmpowerBot.Outbox.WebhookSignature.SignatureHeader, EmpowerBot.Outbox.WebhookSignature.Compute(QuietBot.Secret, ts, json));
        using var response = await host.CreateClient().SendAsync(request);
        return response.StatusCode;
    }

    [Theory]
    [InlineData("""{"type":"customer-feedback","customer":"ACME-1","score":0}""", "score must be a whole number from 1 to 5")]
    [InlineData("""{"type":"customer-feedback","customer":"ACME-1","score":6}""", "score must be a whole number from 1 to 5")]
    [InlineData("""{"type":"customer-feedback","customer":"ACME-1","score":4.5}""", "score must be a whole number from 1 to 5")]
    [InlineData("""{"type":"customer-feedback","customer":"ACME-1","score":"5"}""", "score must be a whole number from 1 to 5")]
    [InlineData("""{"type":"customer-feedback","score":5}""", "customer is required")]
    [InlineData("""{"type":"customer-feedback","customer":"АСМЕ-1","score":5}""", "customer:")]
    [InlineData("""{"type":"customer-feedback","customer":"ACME-1","score":5,"comment":7}""", "comment must be a string")]
    [InlineData("""{"type":"customer-feedback","customer":"ACME-1","score":5,"at":"yesterday"}""", "at must be an ISO 8601 time")]
    [InlineData("""{"type":"customer-feedback","customer":"ACME-1","score":5,"at":"2027-01-01T00:00:00Z"}""", "at is in the future")]
    [InlineData("""{"type":"customer-feedback","customer":"ACME-1","score":5,"email":"rep1@contoso.example","personKey":"aad:x"}""", "names the rep twice")]
    public async Task A_malformed_rating_is_refused_with_the_reason_and_nothing_in_the_batch_is_applied(string rating, string reason)
    {
        var body = $$"""{"id":"{{Guid.NewGuid():N}}","events":[{"type":"interaction-handled","email":"{{QuietBot.Email(0)}}","tenant":"{{Activities.Tenant}}"},{{rating}}]}""";

        var (status, answer) = await SendAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(reason, answer);
        Assert.Empty(await RatingsAsync());
        Assert.Equal(0, (await q.StateAsync(0)).Handled);
    }

    [Fact]
    public async Task A_comment_longer_than_a_thousand_characters_is_refused()
    {
        var (status, answer) = await SendAsync(Batch(Rating("ACME-1", 2, new string('x', 1001))));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("at most 1,000", answer);
        Assert.Empty(await RatingsAsync());
    }

    [Fact]
    public async Task A_rating_naming_someone_not_on_the_roster_is_refused_and_nothing_is_kept()
    {
        var (status, answer) = await SendAsync(Batch(new { type = "customer-feedback", customer = "ACME-1", score = 5, email = "nobody@contoso.example", tenant = Activities.Tenant }));

        Assert.Equal((HttpStatusCode)422, status);
        Assert.Contains("Unknown rep 'nobody@contoso.example'", answer);
        Assert.Empty(await RatingsAsync());
    }

    [Fact]
    public async Task An_unsigned_rating_is_refused()
    {
        using var response = await q.SignalAsync(Batch(Rating("ACME-1", 5, "great")), secret: "not-the-secret-at-all-0000");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await RatingsAsync());
    }
}
