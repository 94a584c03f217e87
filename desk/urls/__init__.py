"""The top floor's pages keep the URLs and names they always had: each module here is one
namespace (cases:, customers:, followups:, corrective:), the app's own pages plus the top
floor's, mounted under the app's old prefix by config/urls.py."""
