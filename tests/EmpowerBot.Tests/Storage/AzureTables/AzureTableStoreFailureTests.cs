using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Azure.Core;
using EmpowerBot.Storage;
using EmpowerBot.Storage.AzureTables;
using EmpowerBot.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EmpowerBot.Tests.Storage.AzureTables;

/// <summary>
/// What the store does with a failing or refusing service, against a scripted HTTP stub under the SDK's real
/// pipeline (its retries and signing): what is retried, what is not, and what the caller sees.
/// </summary>
public sealed class AzureTableStoreFailureTests
{
    private const string Endpoint = "https://contoso.table.core.windows.net";
    private const string ConnectionString = "AccountName=contoso;AccountKey=YSB0ZXN0IGtleSBvZiAzMiBieXRlcywgbm90IHJlYWw=;TableEndpoint=" + Endpoint;

    [Fact]
    public async Task Service_unavailable_is_retried_then_reported_as_unavailable_naming_the_endpoint()
    {
        var stub = new StubService(_ => Status(HttpStatusCode.ServiceUnavailable, "ServerBusy"));
        await using var host = Host(stub, retries: 2);

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => host.Store.GetAsync("budgets", "p", "r", default));

        Assert.Equal(3, stub.Requests.Count);
        Assert.Contains(Endpoint, error.Message);
        Assert.DoesNotContain("YSB0ZXN0", error.Message);
    }

    [Fact]
    public async Task Each_failed_attempt_is_logged_with_the_host_and_the_answer_but_never_the_keys_it_addressed()
    {
        var stub = new StubService(_ => Status(HttpStatusCode.ServiceUnavailable, "ServerBusy"));
        var logs = new LogRecorder();
        await using var host = Host(stub, retries: 2, logs.AddTo);

        await Assert.ThrowsAsync<StorageUnavailableException>(() => host.Store.GetAsync("budgets", "tenant|secret-person", "r", default));

        var warnings = logs.Records.Where(r => r.Level == LogLevel.Warning && r.Message.Contains("attempt")).ToList();
        Assert.Equal(3, warnings.Count);
        Assert.All(warnings, w =>
        {
            Assert.Contains("https://contoso.table.core.windows.net", w.Message);
            Assert.Contains("503", w.Message);
            Assert.DoesNotContain("secret-person", w.Everything);
            Assert.DoesNotContain("YSB0ZXN0", w.Everything);
        });
    }

    [Fact]
    public async Task A_failed_condition_is_never_retried_and_reaches_the_caller_as_a_conflict()
    {
        var stub = new StubService(_ => Status(HttpStatusCode.PreconditionFailed, "UpdateConditionNotSatisfied"));
        await using var host = Host(stub, retries: 3);

        var conflict = await Assert.ThrowsAsync<StorageConflictException>(() =>
            host.Store.ReplaceAsync("budgets", new TableEntity("p", "balance"), "W/\"stale\"", default));

        Assert.Equal((0, ConflictReason.PreconditionFailed), (conflict.OperationIndex, conflict.Reason));
        var request = Assert.Single(stub.Requests);
        Assert.Equal(("PUT", "W/\"stale\""), (request.Method, request.Headers["If-Match"]));
    }

    [Fact]
    public async Task Every_attempt_is_dated_and_signed_afresh()
    {
        var attempt = 0;
        var stub = new StubService(_ => ++attempt == 1 ? Status(HttpStatusCode.InternalServerError, "InternalError") : NoContent("W/\"2\""));
        await using var host = Host(stub, retries: 2);

        var etag = await host.Store.UpsertAsync("budgets", new TableEntity("p", "r"), default);

        Assert.Equal("W/\"2\"", etag);
        Assert.Equal(2, stub.Requests.Count);
        Assert.All(stub.Requests, r =>
        {
            Assert.StartsWith("SharedKeyLite contoso:", r.Headers["Authorization"]);
            Assert.True(r.Headers.ContainsKey("x-ms-version"));
            Assert.True(DateTimeOffset.TryParse(r.Headers["x-ms-date"], out _));
            Assert.False(r.Headers.ContainsKey("If-Match"), "Upsert is Insert Or Replace: it carries no condition.");
        });
    }

    [Fact]
    public async Task A_batch_answer_that_cannot_be_read_is_unavailability_and_not_success()
    {
        var stub = new StubService(_ =>
        {
            // Cut short: the connection dropped after the first lines of the answer.
            var content = new StringContent("--batchresponse_1\r\nContent-Type: application/http\r\n\r\n");
            content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/mixed; boundary=batchresponse_1");
            return new HttpResponseMessage(HttpStatusCode.Accepted) { Content = content };
        });
        await using var host = Host(stub, retries: 1);

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => host.Store.SubmitAsync("budgets",
            [TableOperation.Insert(new TableEntity("p", "a")), TableOperation.Insert(new TableEntity("p", "b"))], default));

        Assert.Contains("re-read", error.Message);
        Assert.EndsWith("/$batch", Assert.Single(stub.Requests).Url);
    }

    [Fact]
    public async Task A_batch_over_the_four_mebibyte_payload_limit_is_refused_before_anything_is_sent()
    {
        var stub = new StubService(_ => NoContent("W/\"1\""));
        await using var host = Host(stub, retries: 1);
        // Nine entities, each within the 1 MiB entity limit (15 strings of 32 Ki characters), 4.4 MB of JSON together.
        var text = new string('x', 32 * 1024);
        var batch = Enumerable.Range(0, 9).Select(i => TableOperation.Insert(new TableEntity("p", $"r{i}",
            Enumerable.Range(0, 15).ToDictionary(j => $"T{j}", _ => (object?)text)))).ToList();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => host.Store.SubmitAsync("budgets", batch, default));

        Assert.Contains("4 MiB", error.Message);
        Assert.Empty(stub.Requests);
    }

    [Fact]
    public async Task Refused_credentials_say_which_setting_to_check()
    {
        var stub = new StubService(_ => Status(HttpStatusCode.Forbidden, "AuthorizationFailure"));
        await using var host = Host(stub, retries: 2);

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => host.Store.EnsureTablesAsync(["budgets"], default));

        Assert.Single(stub.Requests);
        Assert.Contains("Storage:ConnectionString", error.Message);
        Assert.False(await host.Store.PingAsync(default));
    }

    [Fact]
    public async Task With_only_an_endpoint_requests_carry_an_entra_token_fetched_once_for_many_calls()
    {
        var stub = new StubService(_ => NoContent("W/\"1\""));
        var credential = new CountingCredential();
        await using var host = AzureStoreHost.Create(o => o.TableEndpoint = Endpoint, o => o.MaxRetries = 1, services =>
        {
            services.AddSingleton<TokenCredential>(credential);
            services.AddHttpClient(AzureTableStore.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => stub);
        });

        for (var i = 0; i < 3; i++)
        {
            await host.Store.UpsertAsync("budgets", new TableEntity("p", $"r{i}"), default);
        }

        Assert.Equal(1, credential.Calls);
        Assert.Equal(["https://storage.azure.com/.default"], credential.Scopes);
        Assert.All(stub.Requests, r => Assert.Equal("Bearer token-1", r.Headers["Authorization"]));
    }

    private static AzureStoreHost Host(StubService stub, int retries, Action<IServiceCollection>? configure = null) => AzureStoreHost.Create(ConnectionString, resilience: o =>
    {
        o.MaxRetries = retries;
        o.BaseDelay = TimeSpan.FromMilliseconds(1);
    }, configure: services =>
    {
        services.AddHttpClient(AzureTableStore.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => stub);
        configure?.Invoke(services);
    });

    private static HttpResponseMessage Status(HttpStatusCode status, string code)
    {
        var response = new HttpResponseMessage(status)
        {
            Content = new StringContent("{\"odata.error\":{\"code\":\"" + code + "\",\"message\":{\"lang\":\"en-US\",\"value\":\"scripted\"}}}", Encoding.UTF8, "application/json"),
        };
        response.Headers.TryAddWithoutValidation("x-ms-error-code", code);
        return response;
    }

    private static HttpResponseMessage NoContent(string etag)
    {
        var response = new HttpResponseMessage(HttpStatusCode.NoContent);
        response.Headers.TryAddWithoutValidation("ETag", etag);
        return response;
    }

    private sealed record SeenRequest(string Method, string Url, Dictionary<string, string> Headers);

    /// <summary>The table service, scripted: answers every request with the function's response and records it.</summary>
    private sealed class StubService(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        public ConcurrentQueue<SeenRequest> Seen { get; } = new();

        public IReadOnlyList<SeenRequest> Requests => [.. Seen];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            Seen.Enqueue(new SeenRequest(request.Method.Method, request.RequestUri!.ToString(),
                request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase)));
            return Task.FromResult(answer(request));
        }
    }

    private sealed class CountingCredential : TokenCredential
    {
        public int Calls;

        public string[] Scopes { get; private set; } = [];

        public override AccessToken GetToken(TokenRequestContext context, CancellationToken ct) => GetTokenAsync(context, ct).AsTask().Result;

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext context, CancellationToken ct)
        {
            Scopes = context.Scopes;
            return ValueTask.FromResult(new AccessToken($"token-{Interlocked.Increment(ref Calls)}", DateTimeOffset.UtcNow.AddHours(1)));
        }
    }
}
