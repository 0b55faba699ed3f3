# The Rails dashboard, as far as the adoption tests need it: ActiveRecord itself migrates
# its tables and seeds a few rows (`migrate`), reads every table back as JSON (`read`), and
# writes a row of its own (`write`). The connection comes from DASHBOARD_DB (JSON).
require "active_record"
require "json"

ActiveRecord::Base.establish_connection(JSON.parse(ENV.fetch("DASHBOARD_DB")))
ActiveRecord::Base.default_timezone = :utc
ActiveRecord::Base.logger = nil

class Member < ActiveRecord::Base; end
class Order < ActiveRecord::Base; end
class Refund < ActiveRecord::Base; end
class SyncLog < ActiveRecord::Base; end

MODELS = [Member, Order, Refund, SyncLog].freeze

def plain(value)
  case value
  when Time, DateTime then { "time" => value.to_time.iso8601(6), "utc" => value.utc? }
  when BigDecimal then { "decimal" => value.to_s }
  else value
  end
end

case ARGV.fetch(0)
when "migrate"
  migrations = File.join(__dir__, "migrate")
  ActiveRecord::MigrationContext.new(migrations, ActiveRecord::SchemaMigration).migrate
  at = Time.utc(2024, 6, 1, 3, 0, 0)
  Member.create!(member_code: "M000001", username: "olduser", name: "옛회원",
                 signed_up_at: at, memo: "VIP")
  Member.create!(member_code: "M100000", username: "user000000", name: "이전이름")
  Order.create!(order_number: "20230000000001", product_name: "옛 상품", price: 12_000,
                member_code: "M000001", paid_at: at)
  Refund.create!(order_number: "20230000000001", refund_status: "Requested",
                 refund_request_price: 12_000)
  SyncLog.create!(sync_type: "members", status: "failed",
                  error_message: "회원 CSV 파일을 찾을 수 없습니다.")
when "read"
  out = {}
  MODELS.each do |model|
    model.reset_column_information
    out[model.table_name] = model.order(:id).map do |row|
      row.attributes.transform_values { |value| plain(value) }
    end
  end
  out["schema_migrations"] = ActiveRecord::SchemaMigration.all_versions
  out["environment"] = ActiveRecord::InternalMetadata[:environment]
  puts JSON.generate(out)
when "write"
  Member.create!(member_code: "M900001", username: "railsuser", name: "레일즈")
  Order.create!(order_number: "29990000000001", product_name: "대시보드 주문", price: 33_000,
                member_code: "M900001", paid_at: Time.utc(2024, 7, 1, 1, 2, 3))
else
  abort "usage: dashboard.rb migrate|read|write"
end
