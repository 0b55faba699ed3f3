# The dashboard's own tables, as its Rails migration created them before publ-sync: some of
# the contract's columns are missing, orders has a plain (not unique) index on its key.
class CreateDashboardTables < ActiveRecord::Migration[6.1]
  def change
    create_table :members do |t|
      t.string :member_code, null: false
      t.string :username
      t.string :email
      t.string :name
      t.datetime :signed_up_at
      t.string :memo
      t.timestamps
    end
    add_index :members, :member_code, unique: true

    create_table :orders do |t|
      t.string :order_number, null: false
      t.string :product_name
      t.integer :price
      t.string :member_code
      t.datetime :paid_at
      t.timestamps
    end
    add_index :orders, :order_number

    create_table :refunds do |t|
      t.string :order_number
      t.string :refund_status
      t.integer :refund_request_price
      t.timestamps
    end

    create_table :sync_logs do |t|
      t.string :sync_type
      t.string :status
      t.text :error_message
      t.timestamps
    end
  end
end
