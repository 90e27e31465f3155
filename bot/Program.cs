using EmpowerBot.Approvals;
using EmpowerBot.Budget;
using EmpowerBot.Channels.BotFramework;
using EmpowerBot.Channels.Slack;
using EmpowerBot.Conversation;
using EmpowerBot.Hosting;
using EmpowerBot.Insights;
using EmpowerBot.Obstacles;
using EmpowerBot.Policy;
using EmpowerBot.Outbox;
using EmpowerBot.QuietTime;
using EmpowerBot.Storage;

// Settings are read once at start-up, never reloaded: with reloading on, the host would watch the whole content root,
// data/ included, and wake a watcher thread on every SQLite write.
// The slim builder: Kestrel without IIS integration or HTTP/3, which the bot never uses (App Service on Linux and local
// runs talk HTTP/1.1 to Kestrel), and a smaller footprint at start; HTTPS endpoints stay available for who asks.
var builder = WebApplication.CreateSlimBuilder([.. args, "--hostBuilder:reloadConfigOnChange=false"]);
builder.WebHost.UseKestrelHttpsConfiguration();
var root = AppRoot.Find();
builder.Configuration.UseSettingsFrom(root);
builder.AddClocks();
builder.Services.AddSettings<ResilienceOptions, ResilienceOptionsValidator>("Resilience");

builder.AddStorage(root);
builder.AddConversation(root);
builder.AddBotFramework();
builder.AddSlack();
builder.AddPolicy();
builder.AddBudget();
builder.AddApprovals();
builder.AddInsights();
builder.AddObstacles();
builder.AddOutbox();
builder.AddQuietTime();

var app = builder.Build();
app.CheckSettings();
app.GuardDevelopmentMode();
app.MapBotFramework();
app.MapQuietTime();
app.MapSlack();
app.MapExport();
app.MapHealth();
app.MapInfoPages();
app.Run();

/// <summary>Entry point; public so the test host can start the app in-process.</summary>
public partial class Program;
